import { useState, type FormEvent } from "react";
import { call } from "../../api/client";
import { createBody, type FieldProblems, type LimitDraft } from "../../lib/concurrency-form";
import { useAction } from "../../lib/use-action";
import { FieldFrame } from "../../components/FieldFrame";
import type { CreateFormProps } from "../../components/CreatePanel";
import { FormActions } from "../../components/FormActions";

const EMPTY: LimitDraft = { kind: "global", name: "", limit: "", decay: "" };

/** A text field with its problem under it, tied by aria-describedby. */
export function LimitField({ id, label, value, problem, hint, onChange, inputMode }: {
  id: string;
  label: string;
  value: string;
  problem: string | undefined;
  hint?: string;
  onChange: (value: string) => void;
  inputMode?: "numeric" | "decimal";
}) {
  return (
    <FieldFrame id={id} label={label} hint={hint} problem={problem}>
      {(control) => <input {...control} value={value} spellCheck={false} inputMode={inputMode} onChange={(e) => onChange(e.target.value)} />}
    </FieldFrame>
  );
}

/** Create a global concurrency or rate limit, or a limit on the task runs that carry a tag. */
export function CreateLimitForm({ onCreated, onCancel }: CreateFormProps) {
  const [draft, setDraft] = useState<LimitDraft>(EMPTY);
  const [tried, setTried] = useState(false);
  const { busy, error, run } = useAction();
  const checked = createBody(draft);
  const all: FieldProblems = "problems" in checked ? checked.problems : {};
  // A field's problem shows once it has text, or after a try to create: not on an empty new form.
  const problem = (field: keyof FieldProblems, text: string) => (tried || text.trim() !== "" ? all[field] : undefined);
  const tag = draft.kind === "tag";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!("body" in checked)) return;
    const body = checked.body;
    void run(async () => {
      await call("createConcurrencyLimit", { body });
      setDraft(EMPTY);
      setTried(false);
      onCreated(body.name);
    });
  };

  return (
    <form className="card variable-form" onSubmit={submit} aria-label="New concurrency limit" noValidate>
      <h2>New concurrency limit</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="limit-kind">Limits</label>
          <select id="limit-kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as LimitDraft["kind"] })}>
            <option value="global">Named (concurrency, rate limit)</option>
            <option value="tag">Task runs with a tag</option>
          </select>
        </div>
        <LimitField id="limit-name" label={tag ? "Tag" : "Name"} value={draft.name} problem={problem("name", draft.name)} onChange={(name) => setDraft({ ...draft, name })} hint={tag ? `Saved as tag:${draft.name.trim() || "TAG"}` : undefined} />
      </div>
      <div className="row">
        <LimitField id="limit-limit" label="Limit (slots)" inputMode="numeric" value={draft.limit} problem={problem("limit", draft.limit)} onChange={(limit) => setDraft({ ...draft, limit })} />
        {!tag && (
          <LimitField
            id="limit-decay"
            label="Slot decay per second (optional)"
            inputMode="decimal"
            value={draft.decay}
            problem={problem("decay", draft.decay)}
            hint="For a rate limit: slots taken come back at this rate. Empty: only when released."
            onChange={(decay) => setDraft({ ...draft, decay })}
          />
        )}
      </div>
      <FormActions error={error} busy={busy} submitLabel="Create limit" onCancel={onCancel} />
    </form>
  );
}
