import { describe, expect, test } from "vitest";
import { PULL_STEP_TIMEOUT_ENV, defaultBaseJobTemplate, renderJobConfiguration } from "@baton/core";
import { containerSpec } from "./docker/container-spec.js";
import { parseDockerJobConfiguration } from "./docker/job-configuration.js";
import { previewJobManifest } from "./kubernetes/preview.js";
import { parseProcessJobConfiguration } from "./process/job-configuration.js";

/** pull_step_timeout_seconds reaches the run's process as BATON_PULL_STEP_TIMEOUT_SECONDS, on every pool type. */
describe("the pull step time limit as a job variable", () => {
  test("every default template declares it (900 s) and renders it into the job configuration", () => {
    for (const type of ["process", "docker", "kubernetes"] as const) {
      const template = defaultBaseJobTemplate(type)!;
      expect(template.variables.properties.pull_step_timeout_seconds, type).toMatchObject({ type: "integer", minimum: 1, default: 900 });
      expect(renderJobConfiguration(template, { image: "x" }, { pull_step_timeout_seconds: 30 }).pull_step_timeout_seconds, type).toBe(30);
    }
    expect(parseProcessJobConfiguration(renderJobConfiguration(defaultBaseJobTemplate("process")!, {})).pull_step_timeout_seconds).toBe(900);
  });

  test("Docker: in the container's env", () => {
    const config = parseDockerJobConfiguration({ image: "flows:1", pull_step_timeout_seconds: 45 });
    const claimed = { flow_run: { id: "0190-run", name: "brave-otter", flow_name: "etl", work_pool_name: "docker" }, deployment: null } as never;
    const spec = containerSpec(claimed, config, { workerName: "w", credentials: {} } as never, []);
    expect(spec.Env).toContain(`${PULL_STEP_TIMEOUT_ENV}=45`);
  });

  test("Kubernetes: in the Job's container env", () => {
    const config = renderJobConfiguration(defaultBaseJobTemplate("kubernetes")!, { image: "flows:1", pull_step_timeout_seconds: 60 });
    const preview = previewJobManifest(config, { flowName: "etl", deploymentName: "nightly" });
    const containers = (preview.manifest as any).spec.template.spec.containers;
    expect(containers[0].env).toContainEqual({ name: PULL_STEP_TIMEOUT_ENV, value: "60" });
  });
});
