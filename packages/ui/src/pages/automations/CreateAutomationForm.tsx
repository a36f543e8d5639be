import { STATE_TYPES, type AutomationCreate } from "@baton/core";
import { call } from "../../api/client";
import type { CreateFormProps } from "../../components/CreatePanel";
import { FormActions } from "../../components/FormActions";
import { Problem as FieldProblem } from "../../components/Problem";
import { RunMatchFields } from "../../components/RunMatchFields";
import { statesText } from "../../lib/automation-text";
import { actionTarget, checkAutomationDraft, emptyAutomationDraft, type ActionKind, type AutomationDraft, type TriggerKind } from "../../lib/automation-form";
import { RULE_STATES } from "../../lib/notification-form";
import { useCheckedDraft } from "../../lib/use-checked-draft";

const TRIGGERS: { kind: TriggerKind; label: string }[] = [
  { kind: "state", label: "A run enters a state" },
  { kind: "running_longer_than", label: "A run is Running too long" },
  { kind: "not_in_state_within", label: "A run is not in a state in time" },
  { kind: "no_completed_run_by", label: "No Completed run by a time" },
  { kind: "work_pool_offline", label: "A pool has no online worker" },
];
const ACTIONS: { type: ActionKind; label: string }[] = [
  { type: "notify", label: "Notify through a rule" },
  { type: "run_deployment", label: "Run a deployment" },
  { type: "cancel_run", label: "Cancel the run" },
  { type: "pause_deployment", label: "Pause a deployment" },
  { type: "resume_deployment", label: "Resume a deployment" },
  { type: "pause_work_pool", label: "Pause a pool" },
  { type: "resume_work_pool", label: "Resume a pool" },
];

const problemId = (field: string) => `automation-${field}-problem`;
const Problem = ({ field, text }: { field: string; text: string | undefined }) => <FieldProblem id={problemId(field)} text={text} />;

/**
 * A new automation: one trigger and its actions, checked on every keystroke with core's schema
 * (the server's own check). Run parameters taken from the triggering run are the CLI's and
 * baton.yaml's (`--param`, `parameters:`).
 */
export function CreateAutomationForm({ onCreated, onCancel }: CreateFormProps) {
  const { draft, change, problem, invalid, submit, busy, error } = useCheckedDraft<AutomationDraft, string, AutomationCreate>(emptyAutomationDraft, checkAutomationDraft, problemId);
  const setAction = (i: number, next: Partial<AutomationDraft["actions"][number]>) =>
    change(`action-${i}`, { actions: draft.actions.map((a, k) => (k === i ? { ...a, ...next } : a)) });
  const send = async (body: AutomationCreate) => onCreated((await call("createAutomation", { body })).name);
  const watchesRuns = draft.kind === "state" || draft.kind === "running_longer_than" || draft.kind === "not_in_state_within";
  const toggle = (list: string[], state: string) => (list.includes(state) ? list.filter((s) => s !== state) : [...list, state]);

  return (
    <form className="card automation-form" onSubmit={(e) => submit(e, send)} aria-label="New automation" noValidate>
      <h2>New automation</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="automation-name">Name</label>
          <input id="automation-name" value={draft.name} spellCheck={false} onChange={(e) => change("name", { name: e.target.value })} {...invalid("name")} />
          <Problem field="name" text={problem("name")} />
        </div>
        <div className="field">
          <label htmlFor="automation-kind">Trigger</label>
          <select id="automation-kind" value={draft.kind} onChange={(e) => change("kind", { kind: e.target.value as TriggerKind })}>
            {TRIGGERS.map((t) => (
              <option key={t.kind} value={t.kind}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
        {(draft.kind === "running_longer_than" || draft.kind === "work_pool_offline" || draft.kind === "not_in_state_within") && (
          <div className="field">
            <label htmlFor="automation-minutes">{draft.kind === "work_pool_offline" ? "Offline for (minutes)" : draft.kind === "not_in_state_within" ? "Within (minutes)" : "Running for (minutes)"}</label>
            <input id="automation-minutes" inputMode="numeric" value={draft.minutes} onChange={(e) => change("minutes", { minutes: e.target.value })} {...invalid("minutes")} />
            <Problem field="minutes" text={problem("minutes")} />
          </div>
        )}
      </div>
      {draft.kind === "state" && (
        <fieldset className="field states">
          <legend>When a run enters</legend>
          {RULE_STATES.map((state) => (
            <label key={state} className="check-inline">
              <input type="checkbox" checked={draft.states.includes(state)} onChange={() => change("states", { states: draft.states.includes(state) ? draft.states.filter((s) => s !== state) : [...draft.states, state] })} />
              {statesText([state])}
            </label>
          ))}
          <Problem field="states" text={problem("states")} />
        </fieldset>
      )}
      {draft.kind === "not_in_state_within" &&
        (
          [
            ["after", "afterStates", "After a run enters"],
            ["expect", "expectStates", "It should enter"],
          ] as const
        ).map(([field, key, legend]) => (
          <fieldset className="field states" key={field}>
            <legend>{legend}</legend>
            {STATE_TYPES.map((state) => (
              <label key={state} className="check-inline">
                <input type="checkbox" checked={draft[key].includes(state)} onChange={() => change(field, { [key]: toggle(draft[key], state) })} />
                {statesText([state])}
              </label>
            ))}
            <Problem field={field} text={problem(field)} />
          </fieldset>
        ))}
      {draft.kind === "no_completed_run_by" && (
        <div className="row">
          <div className="field">
            <label htmlFor="automation-deployment">Deployment</label>
            <input id="automation-deployment" value={draft.deployment} placeholder="etl/nightly" spellCheck={false} onChange={(e) => change("deployment", { deployment: e.target.value })} {...invalid("deployment")} />
            <Problem field="deployment" text={problem("deployment")} />
          </div>
          <div className="field">
            <label htmlFor="automation-time">Completed by</label>
            <input id="automation-time" value={draft.time} placeholder="07:00" onChange={(e) => change("time", { time: e.target.value })} {...invalid("time")} />
            <Problem field="time" text={problem("time")} />
          </div>
          <div className="field">
            <label htmlFor="automation-timezone">Time zone (default: the schedule&apos;s)</label>
            <input id="automation-timezone" value={draft.timezone} placeholder="Europe/Paris" spellCheck={false} onChange={(e) => change("timezone", { timezone: e.target.value })} {...invalid("timezone")} />
            <Problem field="timezone" text={problem("timezone")} />
          </div>
        </div>
      )}
      {(watchesRuns || draft.kind === "work_pool_offline") && (
        <>
          <RunMatchFields idPrefix="automation" values={draft} poolsOnly={!watchesRuns} onChange={(next) => change("trigger", next)} />
          <Problem field="trigger" text={problem("trigger")} />
        </>
      )}
      <fieldset className="nested">
        <legend>Then</legend>
        {draft.actions.map((action, i) => {
          const target = actionTarget(action.type);
          return (
            <div className="row" key={i}>
              <div className="field">
                <label htmlFor={`automation-action-${i}`}>Action {i + 1}</label>
                <select id={`automation-action-${i}`} value={action.type} onChange={(e) => setAction(i, { type: e.target.value as ActionKind })}>
                  {ACTIONS.map((a) => (
                    <option key={a.type} value={a.type}>
                      {a.label}
                    </option>
                  ))}
                </select>
              </div>
              {target && (
                <div className="field">
                  <label htmlFor={`automation-action-${i}-target`}>{target.label}</label>
                  <input id={`automation-action-${i}-target`} value={action.target} placeholder={target.placeholder} spellCheck={false} onChange={(e) => setAction(i, { target: e.target.value })} {...invalid(`action-${i}`)} />
                  <Problem field={`action-${i}`} text={problem(`action-${i}`)} />
                </div>
              )}
              {draft.actions.length > 1 && (
                <div className="field actions">
                  <button type="button" className="secondary small" aria-label={`Remove action ${i + 1}`} onClick={() => change("actions", { actions: draft.actions.filter((_, k) => k !== i) })}>
                    Remove
                  </button>
                </div>
              )}
            </div>
          );
        })}
        <Problem field="actions" text={problem("actions")} />
        {draft.actions.length < 10 && (
          <button type="button" className="secondary small" onClick={() => change("actions", { actions: [...draft.actions, { type: "notify", target: "" }] })}>
            Add an action
          </button>
        )}
      </fieldset>
      <FormActions error={error} busy={busy} submitLabel="Create automation" onCancel={onCancel} />
    </form>
  );
}
