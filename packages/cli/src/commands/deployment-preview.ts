import type { Command } from "commander";
import { defaultBaseJobTemplate, renderJobConfiguration } from "@baton/core";
import { stringify } from "yaml";
import { z } from "zod";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { readDeploymentRef } from "../deployment/ref.js";
import { collect, parseOptions } from "../options.js";
import { parseParamFlag } from "../run/params.js";
import { readWorkPool } from "../work-pool/read.js";

const PreviewOptions = z.object({
  jobVariable: z.array(z.string()).default([]),
  poolType: z.enum(["kubernetes"]).optional(),
  json: z.boolean().default(false),
});

/**
 * `baton deployment preview`: the Kubernetes Job a run of a deployment would create, rendered
 * exactly as the worker renders it (same code), with secrets as references; exits 1 when the Job
 * would be refused, listing every problem with its field path. Added to the `deployment` command.
 */
export function registerDeploymentPreview(program: Command, ctx: CommandContext): void {
  const deployment = program.commands.find((c) => c.name() === "deployment");
  if (!deployment) throw new Error("registerDeploymentPreview() must run after registerDeployment()");
  deployment
    .command("preview")
    .description("Print the Kubernetes Job a run of this deployment would create (secret values shown as references)")
    .argument("<flow/deployment>", "e.g. etl-flow/etl-prod")
    .option("--job-variable <name=value>", "a job variable for this run only, over the deployment's (repeatable)", collect)
    .option("--pool-type <type>", "render with this pool type's default template instead of the deployment's pool (kubernetes)")
    .option("--json", "print the Job as JSON instead of YAML")
    .addHelpText("after", "\nExamples:\n  baton deployment preview etl-flow/etl-prod\n  baton deployment preview etl-flow/etl-prod --job-variable memory_limit=2Gi --pool-type kubernetes")
    .action(async (ref: string, raw: unknown) => {
      const options = parseOptions(PreviewOptions, raw);
      const jobVariables = Object.fromEntries(options.jobVariable.map((flag) => parseParamFlag(flag, "--job-variable")));
      const client = await ctx.client();
      const found = await readDeploymentRef(client, ref);
      let template;
      if (options.poolType) template = defaultBaseJobTemplate(options.poolType)!;
      else {
        if (!found.work_pool_name) throw new UsageError(`deployment ${ref} has no work pool; give it a kubernetes pool in baton.yaml, or preview with --pool-type kubernetes`);
        const pool = await readWorkPool(client, found.work_pool_name);
        if (pool.type !== "kubernetes") {
          throw new UsageError(`work pool "${pool.name}" of ${ref} is a ${pool.type} pool: its runs create no Kubernetes Job; preview with --pool-type kubernetes to see the Job it would be`);
        }
        template = pool.base_job_template;
      }
      const { previewJobManifest } = await import("@baton/worker");
      const config = renderJobConfiguration(template, found.job_variables, jobVariables);
      const preview = previewJobManifest(config, {
        flowId: found.flow_id,
        deploymentId: found.id,
        flowName: found.flow_name,
        deploymentName: found.name,
        ...(found.work_pool_name ? { workPool: found.work_pool_name } : {}),
      });
      if (preview.manifest) {
        if (options.json) ctx.out.json(preview.manifest);
        else ctx.out.line(stringify(preview.manifest).trimEnd());
      }
      if (preview.issues.length > 0) {
        for (const issue of preview.issues) ctx.out.error(`${issue.path}: ${issue.message}`);
        ctx.out.error("A run would be Crashed with these problems: fix the deployment's job_variables or the pool's base job template.");
        ctx.exitCode = 1;
      } else {
        ctx.out.note("Names and ids marked flow-run-name / 00000000 are the run's; secret values come from the run's Secret, created by the worker.");
      }
    });
}
