import type { Command } from "commander";
import { z } from "zod";
import { closeSharedClient, runFlow } from "baton";
import type { CommandContext } from "../context.js";
import { collect, parseOptions } from "../options.js";
import { colorState } from "../output/format.js";
import { parseRunParameters } from "../run/params.js";

const RunOptions = z.object({
  param: z.array(z.string()).default([]),
  params: z.string().optional(),
  json: z.boolean().default(false),
});

export function registerRun(program: Command, ctx: CommandContext): void {
  program
    .command("run")
    .description("Run a flow from a file, here and now, and record the run")
    .argument("<entrypoint>", "the flow to run: path/to/file.ts:exportName (e.g. flows/etl.ts:etlFlow)")
    .option("--param <name=value>", "a parameter; the value is read as JSON when it is valid JSON, else as text (repeatable)", collect, [])
    .option("--params <json>", "parameters as one JSON object; --param values win over it")
    .option("--json", "print one JSON object with the run's ID, state and result")
    .addHelpText("after", "\nExamples:\n  baton run flows/etl.ts:etlFlow --param limit=2\n  baton run flows/etl.ts:etlFlow --params '{\"limit\":2,\"uppercase\":false}'")
    .action(async (entrypoint: string, raw: unknown) => {
      const options = parseOptions(RunOptions, raw);
      // Bad flags fail before the file is even loaded; bad values fail in runFlow, before a run exists.
      const parameters = parseRunParameters(options.param, options.params);
      const { loadEntrypoint } = await import("baton/loader");
      const flow = await loadEntrypoint(entrypoint, { cwd: ctx.io.cwd });
      const { out } = ctx;
      try {
        const outcome = await runFlow(flow, parameters, {
          onFlowRunCreated: ({ id, name }) => {
            if (!options.json) out.line(`Flow run ${out.colors.bold(name)} (${id}) created for flow '${flow.name}'`);
          },
        });
        const { state } = outcome;
        const completed = state.type === "COMPLETED";
        if (options.json) {
          out.json({
            flow_run_id: outcome.flowRunId,
            flow_run_name: outcome.flowRunName,
            flow_name: flow.name,
            state: { type: state.type, name: state.name, message: state.message ?? null },
            ...(completed ? { result: outcome.result ?? null } : {}),
            ...(outcome.error !== undefined ? { error: describeError(outcome.error) } : {}),
          });
        } else {
          const message = state.message ? `: ${state.message}` : "";
          out.line(`Final state: ${colorState(state.type, state.name, out.colors)}${completed ? "" : message}`);
          if (completed) out.line(`Result: ${JSON.stringify(outcome.result ?? null, null, 2)}`);
          else if (outcome.error !== undefined) out.error(describeError(outcome.error).stack ?? describeError(outcome.error).message);
        }
        if (!completed) ctx.exitCode = 1;
      } finally {
        await closeSharedClient();
      }
    });
}

function describeError(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  if (error && typeof error === "object" && "message" in error) {
    const e = error as { name?: string; message: string; stack?: string };
    return { name: e.name ?? "Error", message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  }
  return { name: "Error", message: String(error) };
}
