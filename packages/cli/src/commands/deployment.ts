import type { Command } from "commander";
import { z } from "zod";
import { MAX_PAGE_SIZE } from "@baton/core";
import type { CommandContext } from "../context.js";
import { allPages } from "baton";
import { readDeploymentRef } from "../deployment/ref.js";
import { printDeployment, printDeployments } from "../deployment/print.js";
import { watchFlowRun } from "../deployment/watch.js";
import { collect, parseOptions } from "../options.js";
import { parseParamFlag, parseRunParameters } from "../run/params.js";

const JsonOption = z.object({ json: z.boolean().default(false) });
const RunOptions = z.object({
  param: z.array(z.string()).default([]),
  params: z.string().optional(),
  jobVariable: z.array(z.string()).default([]),
  watch: z.boolean().default(false),
  json: z.boolean().default(false),
});

export function registerDeployment(program: Command, ctx: CommandContext): void {
  const deployment = program.command("deployment").description("List, inspect, run, pause, resume and delete deployments");

  deployment
    .command("ls")
    .description("List deployments")
    .option("--json", "print the deployments as a JSON array")
    .action(async (raw: unknown) => {
      const options = parseOptions(JsonOption, raw);
      const client = await ctx.client();
      const items = await allPages((cursor) => client.call("listDeployments", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
      if (options.json) ctx.out.json(items);
      else printDeployments(ctx.out, items);
    });

  deployment
    .command("inspect")
    .description("Show a deployment: pool, parameters, schedules, pull steps, source")
    .argument("<flow/deployment>", "e.g. etl-flow/etl-prod")
    .option("--json", "print the deployment as JSON")
    .action(async (ref: string, raw: unknown) => {
      const options = parseOptions(JsonOption, raw);
      const found = await readDeploymentRef(await ctx.client(), ref);
      if (options.json) ctx.out.json(found);
      else printDeployment(ctx.out, found);
    });

  deployment
    .command("run")
    .description("Create a run of a deployment now; a worker of its pool runs it")
    .argument("<flow/deployment>", "e.g. etl-flow/etl-prod")
    .option("--param <name=value>", "a parameter; the value is read as JSON when it is valid JSON, else as text (repeatable)", collect)
    .option("--params <json>", "parameters as one JSON object; --param values win over it")
    .option("--job-variable <name=value>", "a job variable for this run only, over the deployment's (repeatable)", collect)
    .option("--watch", "follow the run to its end, printing its logs; exit non-zero unless it completes")
    .option("--json", "print the new run as JSON (with --watch, the finished run)")
    .addHelpText("after", "\nExamples:\n  baton deployment run etl-flow/etl-prod --param limit=2 --watch\n  baton deployment run etl-flow/etl-prod --job-variable env='{\"LOG\":\"debug\"}'")
    .action(async (ref: string, raw: unknown) => {
      const options = parseOptions(RunOptions, raw);
      const parameters = parseRunParameters(options.param, options.params);
      const jobVariables = Object.fromEntries(options.jobVariable.map((flag) => parseParamFlag(flag, "--job-variable")));
      const client = await ctx.client();
      const found = await readDeploymentRef(client, ref);
      const run = await client.call("runDeployment", { params: { id: found.id }, body: { parameters, job_variables: jobVariables } });
      const { out } = ctx;
      if (!options.watch) {
        if (options.json) out.json(run);
        else out.line(run.id);
        out.note(`Created flow run ${run.name} of ${ref}; follow it with: baton flow-run logs --follow ${run.id}`);
        return;
      }
      out.note(`Created flow run ${run.name} (${run.id}) of ${ref}; watching it (Ctrl-C stops watching, not the run)`);
      if (!options.json) out.line(run.id);
      const finished = await watchFlowRun(client, options.json ? linesToStderr(out) : out, run.id);
      if (options.json) out.json(finished);
      if (finished.state_type !== "COMPLETED") ctx.exitCode = 1;
    });

  for (const [verb, route, description, done] of [
    ["pause", "pauseDeployment", "Pause a deployment's schedules (its future scheduled runs are removed)", "paused"],
    ["resume", "resumeDeployment", "Resume a deployment's schedules", "resumed"],
  ] as const) {
    deployment
      .command(verb)
      .description(description)
      .argument("<flow/deployment>", "e.g. etl-flow/etl-prod")
      .action(async (ref: string) => {
        const client = await ctx.client();
        const found = await readDeploymentRef(client, ref);
        await client.call(route, { params: { id: found.id } });
        ctx.out.line(`Deployment '${ref}' ${done}`);
      });
  }

  deployment
    .command("delete")
    .description("Delete a deployment and its future scheduled runs (past runs stay)")
    .argument("<flow/deployment>", "e.g. etl-flow/etl-prod")
    .action(async (ref: string) => {
      const client = await ctx.client();
      const found = await readDeploymentRef(client, ref);
      await client.call("deleteDeployment", { params: { id: found.id } });
      ctx.out.line(`Deleted deployment '${ref}'`);
    });
}

/** With --json, logs and the final state go to stderr so stdout holds one JSON document. */
function linesToStderr(out: CommandContext["out"]): CommandContext["out"] {
  return Object.assign(Object.create(out) as CommandContext["out"], { line: (text = "") => out.error(text) });
}
