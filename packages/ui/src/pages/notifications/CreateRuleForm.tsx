import type { NotificationRuleCreate } from "@baton/core";
import { call } from "../../api/client";
import type { CreateFormProps } from "../../components/CreatePanel";
import { FormActions } from "../../components/FormActions";
import { Problem as FieldProblem } from "../../components/Problem";
import { RunMatchFields } from "../../components/RunMatchFields";
import { statesText } from "../../lib/automation-text";
import { checkRuleDraft, emptyRuleDraft, RULE_STATES, type RuleDraft, type RuleField } from "../../lib/notification-form";
import { useCheckedDraft } from "../../lib/use-checked-draft";

const TYPES: { type: RuleDraft["type"]; label: string }[] = [
  { type: "webhook", label: "Webhook (JSON, optionally signed)" },
  { type: "slack", label: "Slack incoming webhook" },
  { type: "teams", label: "Microsoft Teams webhook" },
];

const problemId = (field: RuleField) => `rule-${field}-problem`;
const Problem = ({ field, text }: { field: RuleField; text: string | undefined }) => <FieldProblem id={problemId(field)} text={text} />;

/**
 * A new notification rule to a webhook, Slack or Teams, checked on every keystroke with core's
 * schema (the server's own check). Email rules have more to say (SMTP host, password): the CLI.
 */
export function CreateRuleForm({ onCreated, onCancel }: CreateFormProps) {
  const { draft, set, change, touch, problem, invalid, submit, busy, error } = useCheckedDraft<RuleDraft, RuleField, NotificationRuleCreate>(emptyRuleDraft, checkRuleDraft, problemId);
  const send = async (body: NotificationRuleCreate) => onCreated((await call("createNotificationRule", { body })).name);
  const toggleState = (state: string) => change("states", { states: draft.states.includes(state) ? draft.states.filter((s) => s !== state) : [...draft.states, state] });

  return (
    <form className="card rule-form" onSubmit={(e) => submit(e, send)} aria-label="New notification rule" noValidate>
      <h2>New notification rule</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="rule-name">Name</label>
          <input id="rule-name" value={draft.name} spellCheck={false} onChange={(e) => change("name", { name: e.target.value })} onBlur={touch("name")} {...invalid("name")} />
          <Problem field="name" text={problem("name")} />
        </div>
        <div className="field">
          <label htmlFor="rule-type">Send to</label>
          <select id="rule-type" value={draft.type} onChange={(e) => set({ type: e.target.value as RuleDraft["type"] })}>
            {TYPES.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="field states">
        <legend>When a run enters</legend>
        {RULE_STATES.map((state) => (
          <label key={state} className="check-inline">
            <input type="checkbox" checked={draft.states.includes(state)} onChange={() => toggleState(state)} />
            {statesText([state])}
          </label>
        ))}
        <Problem field="states" text={problem("states")} />
      </fieldset>
      <RunMatchFields idPrefix="rule" values={draft} onChange={(next) => change("match", next)} onBlur={touch("match")} />
      <Problem field="match" text={problem("match")} />
      <div className="row">
        <div className="field grow">
          <label htmlFor="rule-url">Webhook URL</label>
          <input id="rule-url" type="url" value={draft.url} placeholder="https://hooks.example.com/baton" spellCheck={false} autoComplete="off" onChange={(e) => change("url", { url: e.target.value })} onBlur={touch("url")} {...invalid("url")} />
          <Problem field="url" text={problem("url")} />
        </div>
        {draft.type === "webhook" && (
          <div className="field">
            <label htmlFor="rule-hmac">Signing secret (optional)</label>
            <input id="rule-hmac" type="password" value={draft.hmacSecret} autoComplete="new-password" onChange={(e) => change("hmacSecret", { hmacSecret: e.target.value })} onBlur={touch("hmacSecret")} {...invalid("hmacSecret")} />
            <Problem field="hmacSecret" text={problem("hmacSecret")} />
          </div>
        )}
      </div>
      <p className="muted">The URL and the secret are stored encrypted; the list shows only the URL&apos;s host.</p>
      <FormActions error={error} busy={busy} submitLabel="Create rule" onCancel={onCancel} />
    </form>
  );
}
