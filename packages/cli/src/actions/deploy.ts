import { resolve } from "node:path";
import { z } from "zod";
import type { CommandContext } from "../context.js";
import { DeployInvalid, UsageError } from "../errors.js";
import { parseOptions } from "../options.js";
import { planDeploy } from "../deploy/plan.js";
import { writeStarterBatonYaml } from "../deploy/init.js";
import { noteUiLink } from "../output/ui-link.js";
import { Progress } from "../output/progress.js";

const DeployOptions = z.object({
  all: z.boolean().default(false),
  name: z.array(z.string().min(1)).default([]),
  file: z.string().min(1, "must name a file").default("baton.yaml"),
  json: z.boolean().default(false),
  branch: z.string().trim().min(1, "must name a branch").optional(),
});

export async function deployCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(DeployOptions, raw);
  if (options.all && options.name.length > 0) throw new UsageError("give --all or --name, not both");
  const file = resolve(ctx.io.cwd, options.file);
  const client = await ctx.client();
  const { out } = ctx;
  const progress = new Progress(out);
  progress.step(`Reading ${options.file} and checking the deployments`);
  const plan = await planDeploy(client, { file, names: options.name, all: options.all, checkout: { branch: options.branch, env: ctx.io.env } }).finally(() => progress.clear());
  for (const warning of plan.warnings) out.error(out.errColors.yellow(`Warning: ${warning}`));
  // The top-level pull section is checked with each deployment: name its problems once.
  const problems = [...new Map(plan.problems.map((p) => [`${p.path}\n${p.message}`, p])).values()];
  if (problems.length > 0) {
    const n = problems.length;
    // In file order: deployments[2] before deployments[10], a deployment's fields together.
    problems.sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true }));
    throw new DeployInvalid(`${options.file} has ${n} problem${n > 1 ? "s" : ""}; nothing was deployed:`, problems);
  }
  const results = [];
  for (const [index, body] of plan.bodies.entries()) {
    progress.step(`Deploying ${body.flow_name}/${body.name}`, { done: index, total: plan.bodies.length });
    const { deployment, outcome, automations } = await upsertWithTriggers(client, body, plan.triggers[index]!).finally(() => progress.clear());
    results.push({ id: deployment.id, flow_name: deployment.flow_name, name: deployment.name, outcome, automations });
    if (!options.json) {
      const ref = `${deployment.flow_name}/${deployment.name}`;
      const paint = (outcome: string) => (outcome === "unchanged" ? out.colors.dim : out.colors.green);
      out.line(`Deployment '${out.colors.bold(ref)}' ${paint(outcome)(outcome)} (${deployment.id})`);
      for (const a of automations) out.line(`  trigger: automation '${a.name}' ${paint(a.outcome)(a.outcome)}`);
      noteUiLink(ctx, { deployment: deployment.id });
    }
  }
  progress.finish(`Deployed ${results.length} deployment(s)`);
  if (options.json) out.json(results);
  else if (results.length > 0) out.note(`Run one with: baton deployment run ${results[0]!.flow_name}/${results[0]!.name}`);
}

/** One deployment and then its automations from `triggers:` (created, updated or deleted to match the list). */
async function upsertWithTriggers(client: Awaited<ReturnType<CommandContext["client"]>>, body: Awaited<ReturnType<typeof planDeploy>>["bodies"][number], triggers: Awaited<ReturnType<typeof planDeploy>>["triggers"][number]) {
  const { deployment, outcome } = await client.call("upsertDeployment", { body });
  const set = await client.call("setDeploymentTriggers", { params: { id: deployment.id }, body: { triggers } });
  const automations = [...set.automations.map((a) => ({ name: a.name, outcome: a.outcome as string })), ...set.deleted.map((name) => ({ name, outcome: "deleted" }))];
  return { deployment, outcome, automations };
}

export async function initCommand(ctx: CommandContext, files: string[]) {
  const written = await writeStarterBatonYaml(ctx.io.cwd, files);
  if (ctx.out.structured) ctx.out.json(written);
  ctx.out.line(`Wrote ${written.path} with ${written.deployments.length} deployment${written.deployments.length === 1 ? "" : "s"}: ${written.deployments.join(", ")}`);
  ctx.out.note("Check the work pool and the schedules in it, then: baton deploy --all\n  baton deploy --all --branch main      # a detached HEAD outside CI");
}
