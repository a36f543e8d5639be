import { useState } from "react";
import { call } from "../../api/client";
import type { Deployment, DeploymentSchedule } from "../../api/types";
import { ConfirmButton } from "../../components/ConfirmButton";
import { NextRun } from "../../components/DeploymentRuns";
import { ErrorAlert } from "../../components/ErrorAlert";
import { describeSchedule } from "../../lib/schedules";
import { useAction } from "../../lib/use-action";
import { useSession } from "../../session/session";
import { ScheduleForm } from "./ScheduleForm";

/**
 * A deployment's schedules in words; a deployer edits, pauses, resumes or deletes each one by itself, and
 * adds new ones. `onChanged` gets the deployment as the server answered.
 */
export function Schedules({ deployment: d, refresh, onChanged }: { deployment: Deployment; refresh: number; onChanged: (d: Deployment) => void }) {
  const { can } = useSession();
  const { busy, error, run } = useAction();
  // One form open at a time: "new" to add a schedule, or the id of the schedule being edited.
  const [open, setOpen] = useState<string>();
  const deployer = can("deploy");

  const setActive = (s: DeploymentSchedule, active: boolean) =>
    void run(async () => onChanged(await call("updateDeploymentSchedule", { params: { id: d.id, schedule_id: s.id }, body: { active } })));
  const remove = (s: DeploymentSchedule) => void run(async () => onChanged(await call("deleteDeploymentSchedule", { params: { id: d.id, schedule_id: s.id } })));

  return (
    <>
      {d.schedules.length === 0 ? (
        <p className="muted">No schedules: runs start from the Run form, the CLI or the API.</p>
      ) : (
        <>
          <ul className="plain schedules">
            {d.schedules.map((s) => {
              const words = describeSchedule(s.schedule);
              return (
                <li key={s.id}>
                  <span>
                    {words}
                    {!s.active && <span className="tag">paused</span>}
                    {Object.keys(s.parameters).length > 0 && <code className="muted"> {JSON.stringify(s.parameters)}</code>}
                  </span>
                  {deployer && (
                    <span className="buttons">
                      <button type="button" className="secondary small" disabled={busy || open !== undefined} aria-label={`Edit schedule ${words}`} onClick={() => setOpen(s.id)}>
                        Edit
                      </button>
                      <button type="button" className="secondary small" disabled={busy} aria-label={`${s.active ? "Pause" : "Resume"} schedule ${words}`} onClick={() => setActive(s, !s.active)}>
                        {s.active ? "Pause" : "Resume"}
                      </button>
                      <ConfirmButton label="Delete" ariaLabel={`Delete schedule ${words}`} question={`Delete the schedule "${words}"? The runs it made for later are deleted too.`} onConfirm={() => remove(s)} />
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
          <p>
            Next run: <NextRun deploymentId={d.id} refresh={refresh} />
          </p>
        </>
      )}
      <ErrorAlert error={error} />
      {deployer &&
        (open !== undefined ? (
          <ScheduleForm
            key={open}
            deployment={d}
            editing={d.schedules.find((s) => s.id === open)}
            onClose={() => setOpen(undefined)}
            onSaved={(next) => {
              setOpen(undefined);
              onChanged(next);
            }}
          />
        ) : (
          <button type="button" className="secondary" onClick={() => setOpen("new")}>
            Add a schedule
          </button>
        ))}
    </>
  );
}
