import { useState } from "react";
import type { BaseJobTemplate, Deployment, WorkPool } from "../../api/types";
import { ErrorAlert } from "../../components/ErrorAlert";
import { JsonBlock } from "../../components/Json";
import { renderJobConfiguration } from "@baton/core";

/**
 * The job a deployment's run would get from this template (the one being edited, when it is
 * valid): core's renderer, as the claim uses it; secrets stay references.
 */
export function JobPreview({ pool, template, deployments }: { pool: WorkPool; template: BaseJobTemplate; deployments: Deployment[] }) {
  const [selected, setSelected] = useState("");
  const deployment = deployments.find((d) => d.id === selected);
  const nameVariable = template.variables.properties.name;
  const naming = nameVariable && !("default" in nameVariable) ? { name: "<flow run name>" } : undefined;
  let rendered: unknown;
  let error: Error | undefined;
  try {
    rendered = renderJobConfiguration(template, naming, deployment?.job_variables);
  } catch (e) {
    error = e instanceof Error ? e : new Error(String(e));
  }
  return (
    <div>
      <div className="field">
        <label htmlFor="preview-deployment">Deployment</label>
        <select id="preview-deployment" value={selected} onChange={(e) => setSelected(e.target.value)}>
          <option value="">None (the pool's defaults only)</option>
          {deployments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.flow_name}/{d.name}
            </option>
          ))}
        </select>
      </div>
      {deployments.length === 0 && <p className="muted">No deployment uses pool {pool.name} yet: the preview shows the pool's defaults.</p>}
      <ErrorAlert error={error} />
      {!error && <JsonBlock value={rendered} label="Job preview" />}
    </div>
  );
}
