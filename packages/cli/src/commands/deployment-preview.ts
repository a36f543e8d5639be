import type { Command } from "commander";
import { WORK_POOL_TYPES } from "@baton/core/runtime";
import type { CommandContext } from "../context.js";
import { collect } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/deployment-preview.js");

/**
 * `baton deployment preview`: what a run of a deployment would be given, rendered exactly as the
 * worker renders it (same code): the Kubernetes Job for a kubernetes pool, the job configuration
 * for the others; then where each secret and `{{ $NAME }}` goes (the run's Secret, its
 * environment, or refused). Exits 1 when a run would be refused, listing every problem with its
 * field path. Added to the `deployment` command.
 */
export function registerDeploymentPreview(program: Command, ctx: CommandContext): void {
  const deployment = program.commands.find((c) => c.name() === "deployment");
  if (!deployment) throw new Error("registerDeploymentPreview() must run after registerDeployment()");
  deployment
    .command("preview")
    .description("Print what a run of this deployment would be given (the Kubernetes Job, or the job configuration) and where each secret goes; secret values are shown as references")
    .argument("<flow/deployment>", "FLOW/DEPLOYMENT (e.g. etl-flow/etl-prod), or its ID, ID prefix (8+ characters) or name")
    .option("--job-variable <name=value>", "a job variable for this run only, over the deployment's (repeatable)", collect)
    .option("--pool-type <type>", `render with this pool type's default template instead of the deployment's pool (${WORK_POOL_TYPES.join(", ")})`)
    .option("--json", "print JSON instead of YAML")
    .addHelpText("after", "\nExamples:\n  baton deployment preview etl-flow/etl-prod\n  baton deployment preview etl-flow/etl-prod --job-variable memory_limit=2Gi --pool-type kubernetes")
    .action(lazy(ctx, actions, "previewCommand"));
}
