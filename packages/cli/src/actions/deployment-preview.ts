import { WORK_POOL_TYPES, defaultBaseJobTemplate, renderJobConfiguration, type WorkPoolType } from "@baton/core";
import { stringify } from "yaml";
import { z } from "zod";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { readDeploymentRef } from "../deployment/ref.js";
import { parseOptions } from "../options.js";
import { parseParamFlag } from "../run/params.js";
import { readWorkPool } from "../work-pool/read.js";

const PreviewOptions = z.object({
  jobVariable: z.array(z.string()).default([]),
  poolType: z.enum(WORK_POOL_TYPES, { message: `must be one of ${WORK_POOL_TYPES.join(", ")}` }).optional(),
  json: z.boolean().default(false),
});

export async function previewCommand(ctx: CommandContext, ref: string, raw: unknown) {
  const options = parseOptions(PreviewOptions, raw);
  const jobVariables = Object.fromEntries(options.jobVariable.map((flag) => parseParamFlag(flag, "--job-variable")));
  const client = await ctx.client();
  const found = await readDeploymentRef(client, ref);
  let template;
  let poolType: WorkPoolType;
  if (options.poolType) {
    poolType = options.poolType;
    template = defaultBaseJobTemplate(poolType)!;
  } else {
    if (!found.work_pool_name) throw new UsageError(`deployment ${ref} has no work pool; give it one in baton.yaml, or preview with --pool-type process|docker|kubernetes`);
    const pool = await readWorkPool(client, found.work_pool_name);
    poolType = pool.type;
    template = pool.base_job_template;
  }
  const { previewJobManifest, previewReferences } = await import("@baton/worker");
  const config = renderJobConfiguration(template, found.job_variables, jobVariables);
  const preview =
    poolType === "kubernetes"
      ? previewJobManifest(config, {
          flowId: found.flow_id,
          deploymentId: found.id,
          flowName: found.flow_name,
          deploymentName: found.name,
          ...(found.work_pool_name ? { workPool: found.work_pool_name } : {}),
        })
      : { manifest: config, issues: [] };
  const references = previewReferences(config, poolType);
  const refused = references.filter((r) => r.refused).map((r) => ({ path: `job_configuration.${r.path}`, message: `${r.reference}: ${r.route}` }));
  const issues = [...preview.issues, ...refused];
  if (options.json) ctx.out.json({ pool_type: poolType, [poolType === "kubernetes" ? "job" : "job_configuration"]: preview.manifest ?? null, references, issues });
  else {
    if (preview.manifest) ctx.out.line(stringify(preview.manifest).trimEnd());
    if (references.length > 0) {
      ctx.out.line("");
      ctx.out.line("# Secrets and host variables:");
      for (const r of references) ctx.out.line(`#   ${r.path}: ${r.reference} -> ${r.route}`);
    }
  }
  if (issues.length > 0) {
    for (const issue of issues) ctx.out.error(`${issue.path}: ${issue.message}`);
    ctx.out.error("A run would be Crashed with these problems: fix the deployment's job_variables or the pool's base job template.");
    ctx.exitCode = 1;
  } else if (poolType === "kubernetes") {
    ctx.out.note("Names and ids marked flow-run-name / 00000000 are the run's; secret values come from the run's Secret, created by the worker.");
  }
}
