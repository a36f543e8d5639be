import type { Deployment } from "../api/types";
import type { RunOptionsCheck } from "../lib/run-options";
import { displayTimeZone, formatLocal, formatRelative } from "../lib/time";

interface Props {
  when: string;
  onWhen: (value: string) => void;
  jobVariables: string;
  onJobVariables: (value: string) => void;
  /** The job-variable field was reached for: load the pool's variables to check against. */
  onNeedPool: () => void;
  check: RunOptionsCheck;
  deployment: Deployment;
  /** The pool template's variables, once loaded. */
  declared: string[] | undefined;
}

/** The run form's "run later" (a wall time in the UI's display zone) and job-variable override. */
export function RunOptionsFields({ when, onWhen, jobVariables, onJobVariables, onNeedPool, check, deployment, declared }: Props) {
  const zone = displayTimeZone() === "UTC" ? "UTC" : "your local time";
  const at = check.body.scheduled_time;
  const ownKeys = Object.keys(deployment.job_variables ?? {});
  return (
    <div className="row">
      <div className="field">
        <label htmlFor="run-later">Run later ({zone})</label>
        <input
          id="run-later"
          type="datetime-local"
          value={when}
          onChange={(e) => onWhen(e.target.value)}
          aria-invalid={check.errors.scheduled_time ? true : undefined}
          aria-describedby="run-later-hint"
        />
        <p className="hint" id="run-later-hint">
          {at ? `Starts ${formatLocal(at)}${zone === "UTC" ? " UTC" : ""} (${formatRelative(at)}).` : "Empty: the run starts now."}
        </p>
        {check.errors.scheduled_time && (
          <p className="field-error" role="alert">
            {check.errors.scheduled_time}
          </p>
        )}
      </div>
      <div className="field grow">
        <label htmlFor="run-job-variables">Job variables override (JSON)</label>
        <textarea
          id="run-job-variables"
          rows={3}
          spellCheck={false}
          value={jobVariables}
          placeholder='{"env": {"LOG_LEVEL": "DEBUG"}}'
          onFocus={onNeedPool}
          onChange={(e) => onJobVariables(e.target.value)}
          aria-invalid={check.errors.job_variables ? true : undefined}
          aria-describedby="run-job-variables-hint"
        />
        <p className="hint" id="run-job-variables-hint">
          Set over the deployment's own{ownKeys.length > 0 ? ` (${ownKeys.join(", ")})` : ""} for this run only.
          {deployment.work_pool_name && declared && ` Variables of pool ${deployment.work_pool_name}: ${declared.join(", ") || "none"}.`}
        </p>
        {check.errors.job_variables && (
          <p className="field-error" role="alert">
            {check.errors.job_variables}
          </p>
        )}
      </div>
    </div>
  );
}
