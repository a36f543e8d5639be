import type { Deployment } from "../api/types";
import type { RunOptionsCheck } from "../lib/run-options";
import { useDisplayZone } from "../lib/display-zone";
import { formatLocal, formatRelative } from "../lib/time";
import { FieldFrame } from "./FieldFrame";

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
  const zone = useDisplayZone();
  const at = check.body.scheduled_time;
  const ownKeys = Object.keys(deployment.job_variables ?? {});
  const poolHint = deployment.work_pool_name && declared ? ` Variables of pool ${deployment.work_pool_name}: ${declared.join(", ") || "none"}.` : "";
  return (
    <div className="row">
      <FieldFrame
        id="run-later"
        label={`Run later (${zone ?? "your local time"})`}
        hint={at ? `Starts ${formatLocal(at, zone)}${zone === "UTC" ? " UTC" : ""} (${formatRelative(at)}).` : "Empty: the run starts now."}
        problem={check.errors.scheduled_time}
        announce
      >
        {(control) => <input {...control} type="datetime-local" value={when} onChange={(e) => onWhen(e.target.value)} />}
      </FieldFrame>
      <FieldFrame
        id="run-job-variables"
        label="Job variables override (JSON)"
        hint={`Set over the deployment's own${ownKeys.length > 0 ? ` (${ownKeys.join(", ")})` : ""} for this run only.${poolHint}`}
        problem={check.errors.job_variables}
        grow
        announce
      >
        {(control) => <textarea {...control} rows={3} spellCheck={false} value={jobVariables} placeholder='{"env": {"LOG_LEVEL": "DEBUG"}}' onFocus={onNeedPool} onChange={(e) => onJobVariables(e.target.value)} />}
      </FieldFrame>
    </div>
  );
}
