import { useEffect, useRef, useState, type FormEvent } from "react";
import { call } from "../api/client";
import { usePageRefresh } from "../api/live";
import { ConfirmButton } from "../components/ConfirmButton";
import { Time } from "../components/Copy";
import { DataTable } from "../components/DataTable";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { useAction } from "../lib/use-action";
import { useApi } from "../lib/use-api";
import { formOf, parseVariableValue, showValue, type ValueKind } from "../lib/variable-value";
import { useSession } from "../session/session";

interface Draft {
  name: string;
  kind: ValueKind;
  text: string;
  /** Set when editing a variable that exists: its name is then fixed. */
  editing: boolean;
}
const EMPTY: Draft = { name: "", kind: "text", text: "", editing: false };

/** Variables: named JSON values flows read at run time (`getVariable`). Deployers set and delete them. */
export function VariablesPage() {
  const { can } = useSession();
  const variables = useApi("variables", () => call("listVariables", { query: { limit: 500 } }));
  // Runs set variables (setVariable in a flow); the CLI too: the list follows.
  usePageRefresh(variables.reload);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [done, setDone] = useState("");
  const { busy, error, run } = useAction();
  const parsed = parseVariableValue(draft.kind, draft.text);
  const problem = "problem" in parsed ? parsed.problem : undefined;
  const deployer = can("deploy");
  // Edit is pressed in the table, below the form: take the user to the value being edited.
  const valueField = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!draft.editing) return;
    valueField.current?.scrollIntoView({ block: "center" });
    valueField.current?.focus();
  }, [draft.editing, draft.name]);

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!("value" in parsed)) return;
    const name = draft.name.trim();
    setDone("");
    void run(async () => {
      await call("setVariable", { params: { name }, body: { value: parsed.value } });
      setDone(`Variable "${name}" saved.`);
      setDraft(EMPTY);
      variables.reload();
    });
  };

  const remove = (name: string) =>
    void run(async () => {
      await call("deleteVariable", { params: { name } });
      setDone(`Variable "${name}" deleted.`);
      variables.reload();
    });

  return (
    <>
      <h1>Variables</h1>
      <p className="muted">Named values a flow reads when it runs. Not for secrets: anyone who can read sees them (use Settings → Secrets).</p>
      {deployer && (
        <form className="card variable-form" onSubmit={save} aria-label={draft.editing ? `Edit variable ${draft.name}` : "New variable"}>
          <h2>{draft.editing ? `Edit ${draft.name}` : "New variable"}</h2>
          <div className="row">
            <div className="field">
              <label htmlFor="variable-name">Name</label>
              <input id="variable-name" value={draft.name} readOnly={draft.editing} required spellCheck={false} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="variable-kind">Value type</label>
              <select id="variable-kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as ValueKind })}>
                <option value="text">Text</option>
                <option value="json">JSON (number, true/false, list, object)</option>
              </select>
            </div>
          </div>
          <div className="field">
            <label htmlFor="variable-value">Value</label>
            <textarea
              ref={valueField}
              id="variable-value"
              className={draft.kind === "json" ? "code" : undefined}
              rows={Math.min(12, Math.max(2, draft.text.split("\n").length))}
              value={draft.text}
              spellCheck={false}
              onChange={(e) => setDraft({ ...draft, text: e.target.value })}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? "variable-value-problem" : undefined}
            />
            {problem && (
              <p id="variable-value-problem" className="field-error">
                {problem}
              </p>
            )}
          </div>
          <div className="buttons">
            <button type="submit" disabled={busy || Boolean(problem)}>
              {draft.editing ? "Save variable" : "Create variable"}
            </button>
            {draft.editing && (
              <button type="button" className="secondary" onClick={() => setDraft(EMPTY)}>
                Stop editing
              </button>
            )}
          </div>
        </form>
      )}
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      <ErrorAlert error={error ?? variables.error} />
      {!variables.data && !variables.error && <Loading what="variables" />}
      {variables.data && (
        <DataTable
          label="Variables"
          items={variables.data.items}
          itemKey={(v) => v.name}
          empty="No variables."
          columns={[
            { header: "Name", cell: (v) => <code>{v.name}</code> },
            { header: "Value", cell: (v) => <code className="value">{showValue(v.value)}</code> },
            { header: "Updated", cell: (v) => <Time iso={v.updated} copy={false} /> },
            deployer && {
              header: "Actions",
              hideHeader: true,
              cell: (v) => (
                <span className="buttons">
                  <button type="button" className="secondary small" aria-label={`Edit ${v.name}`} onClick={() => setDraft({ name: v.name, ...formOf(v.value), editing: true })}>
                    Edit
                  </button>
                  <ConfirmButton label="Delete" ariaLabel={`Delete ${v.name}`} question={`Delete variable "${v.name}"? Flows that read it will fail or use their default.`} onConfirm={() => remove(v.name)} />
                </span>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
