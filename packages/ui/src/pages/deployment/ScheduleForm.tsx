import { useMemo, useState, type FormEvent } from "react";
import { call } from "../../api/client";
import type { Deployment, DeploymentSchedule } from "../../api/types";
import { ErrorAlert } from "../../components/ErrorAlert";
import { describeSchedule } from "../../lib/schedules";
import { browserTimeZone, checkScheduleDraft, draftOf, emptyDraft, timeZones, type IntervalUnit, type ScheduleDraft, type ScheduleKind } from "../../lib/schedule-form";
import { useDisplayZone } from "../../lib/display-zone";
import { formatLocal } from "../../lib/time";
import { useAction } from "../../lib/use-action";

const KINDS: { kind: ScheduleKind; label: string }[] = [
  { kind: "cron", label: "Cron" },
  { kind: "interval", label: "Interval" },
  { kind: "rrule", label: "RRULE" },
];

/** A problem under its field, tied to the input for screen readers. */
function Problem({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} className="field-error">
      {text}
    </p>
  ) : null;
}

/**
 * Adds one schedule to a deployment, or edits one in place (`editing`): cron, interval or RRULE
 * with its time zone, checked on every keystroke with core's schema (the server's check) and
 * shown in words with its next runs. Saving an edit replaces the future runs of the old expression.
 */
export function ScheduleForm({ deployment, editing, onSaved, onClose }: { deployment: Deployment; editing?: DeploymentSchedule; onSaved: (d: Deployment) => void; onClose: () => void }) {
  const [draft, setDraft] = useState<ScheduleDraft>(() => (editing ? draftOf(editing.schedule) : emptyDraft(browserTimeZone())));
  const check = useMemo(() => checkScheduleDraft(draft), [draft]);
  const zones = useMemo(timeZones, []);
  const shownZone = useDisplayZone();
  const { busy, error, run } = useAction();
  const set = (next: Partial<ScheduleDraft>) => setDraft({ ...draft, ...next });
  const invalid = (field: keyof ScheduleCheckProblems) => (check.problems[field] ? { "aria-invalid": true as const, "aria-describedby": `schedule-${field}-problem` } : {});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!check.spec) return;
    const spec = check.spec;
    void run(async () => {
      if (editing) {
        onSaved(await call("updateDeploymentSchedule", { params: { id: deployment.id, schedule_id: editing.id }, body: { schedule: spec } }));
        return;
      }
      onSaved(await call("createDeploymentSchedule", { params: { id: deployment.id }, body: spec }));
      setDraft(emptyDraft(draft.timezone));
    });
  };

  return (
    <form className="schedule-form card" onSubmit={submit} aria-label={editing ? "Edit the schedule" : "Add a schedule"}>
      <h3>{editing ? `Edit the schedule ${describeSchedule(editing.schedule)}` : "Add a schedule"}</h3>
      <fieldset className="field states">
        <legend>Kind</legend>
        {KINDS.map(({ kind, label }) => (
          <label key={kind} className="check-inline">
            <input type="radio" name="schedule-kind" checked={draft.kind === kind} onChange={() => set({ kind })} />
            {label}
          </label>
        ))}
      </fieldset>
      <div className="row">
        {draft.kind === "cron" && (
          <div className="field grow">
            <label htmlFor="schedule-cron">Cron expression</label>
            <input id="schedule-cron" className="code" value={draft.cron} onChange={(e) => set({ cron: e.target.value })} placeholder="0 9 * * 1-5" spellCheck={false} {...invalid("cron")} />
            <Problem id="schedule-cron-problem" text={check.problems.cron} />
          </div>
        )}
        {draft.kind === "interval" && (
          <>
            <div className="field">
              <label htmlFor="schedule-every">Every</label>
              <input id="schedule-every" type="number" min="0" step="any" value={draft.every} onChange={(e) => set({ every: e.target.value })} {...invalid("every")} />
              <Problem id="schedule-every-problem" text={check.problems.every} />
            </div>
            <div className="field">
              <label htmlFor="schedule-unit">Unit</label>
              <select id="schedule-unit" value={draft.unit} onChange={(e) => set({ unit: e.target.value as IntervalUnit })}>
                <option value="minutes">minutes</option>
                <option value="hours">hours</option>
                <option value="days">days</option>
              </select>
            </div>
          </>
        )}
        {draft.kind === "rrule" && (
          <div className="field grow">
            <label htmlFor="schedule-rrule">RRULE</label>
            <input id="schedule-rrule" className="code" value={draft.rrule} onChange={(e) => set({ rrule: e.target.value })} placeholder="FREQ=WEEKLY;BYDAY=MO;BYHOUR=9" spellCheck={false} {...invalid("rrule")} />
            <Problem id="schedule-rrule-problem" text={check.problems.rrule} />
          </div>
        )}
        <div className="field">
          <label htmlFor="schedule-timezone">Time zone</label>
          <input id="schedule-timezone" list="schedule-zones" value={draft.timezone} onChange={(e) => set({ timezone: e.target.value })} spellCheck={false} {...invalid("timezone")} />
          <datalist id="schedule-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <Problem id="schedule-timezone-problem" text={check.problems.timezone} />
        </div>
      </div>
      <Problem id="schedule-kind-problem" text={check.problems.kind} />
      <div aria-live="polite" className="schedule-preview">
        {check.words && (
          <p className="ok">
            {check.words}
            {check.next.length > 0 ? `; next: ${check.next.map((d) => formatLocal(d.toISOString(), shownZone)).join(", ")}` : "; it never fires in the next 400 days"}
          </p>
        )}
      </div>
      <ErrorAlert error={error} />
      <div className="buttons">
        <button type="submit" disabled={busy || !check.spec}>
          {editing ? "Save schedule" : "Add schedule"}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}

type ScheduleCheckProblems = ReturnType<typeof checkScheduleDraft>["problems"];
