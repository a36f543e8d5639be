import { useMemo, useState } from "react";
import { call } from "../api/client";
import type { Deployment, FlowRun } from "../api/types";
import { useZoneChange } from "../lib/display-zone";
import { checkRunOptions } from "../lib/run-options";
import { rezoneLocalInput } from "../lib/time";
import { useApi } from "../lib/use-api";
import { FormActions } from "./FormActions";
import { RunOptionsFields } from "./RunOptionsFields";
import { FixSummary, SchemaFields, useSchemaForm } from "./schema-fields/SchemaFields";

interface Props {
  deployment: Deployment;
  /** Starting parameters (a run being run again); the deployment's own otherwise. */
  parameters?: Record<string, unknown>;
  submitLabel: string;
  onCreated: (run: FlowRun) => void;
}

/** Runs a deployment with parameters from a form generated from its flow's parameter schema. */
export function RunForm({ deployment, parameters, submitLabel, onCreated }: Props) {
  const form = useSchemaForm(deployment.parameter_schema, parameters ?? deployment.parameters);
  const [name, setName] = useState("");
  const [tags, setTags] = useState("");
  const [when, setWhen] = useState("");
  const [jobVariables, setJobVariables] = useState("");
  // The pool's template (its variables) loads when the override is reached for, not with the page.
  const [wantPool, setWantPool] = useState(false);
  const poolName = deployment.work_pool_name;
  const pool = useApi(wantPool && poolName ? `pool:${poolName}` : null, () => call("readWorkPool", { params: { name: poolName ?? "" } }));
  // "Run later" keeps its instant across a zone switch, as the parameters' date-times do.
  const zone = useZoneChange((from, to) => setWhen((w) => (w ? rezoneLocalInput(w, from, to) : w)));
  const options = useMemo(() => checkRunOptions(when, jobVariables, pool.data?.base_job_template, zone), [when, jobVariables, pool.data, zone]);

  const start = async (values: Record<string, unknown>) => {
    const tagList = tags.split(",").map((t) => t.trim()).filter(Boolean);
    const body = { parameters: values, ...(name.trim() ? { name: name.trim() } : {}), ...(tagList.length > 0 ? { tags: tagList } : {}), ...options.body };
    onCreated(await call("runDeployment", { params: { id: deployment.id }, body }));
  };

  return (
    <form aria-label="Run deployment" className="run-form" onSubmit={(e) => form.submit(e, start, Object.keys(options.errors).length)} noValidate>
      <SchemaFields form={form} idPrefix="param" />
      <div className="row">
        <div className="field">
          <label htmlFor="run-name">Run name</label>
          <input id="run-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="generated when empty" />
        </div>
        <div className="field">
          <label htmlFor="run-tags">Tags</label>
          <input id="run-tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="comma-separated" />
        </div>
      </div>
      <RunOptionsFields
        when={when}
        onWhen={setWhen}
        jobVariables={jobVariables}
        onJobVariables={setJobVariables}
        onNeedPool={() => setWantPool(true)}
        check={options}
        deployment={deployment}
        declared={pool.data ? Object.keys(pool.data.base_job_template.variables.properties) : undefined}
      />
      {form.touched && <FixSummary errors={{ ...form.result.errors, ...options.errors }} what="the run can start" />}
      <FormActions error={form.error} busy={form.busy} submitLabel={submitLabel} busyLabel="Starting…" />
    </form>
  );
}
