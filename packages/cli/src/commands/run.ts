import type { Command } from "commander";
import { z } from "zod";
import { closeSharedClient, getClient, runFlow } from "baton";
import type { CommandContext } from "../context.js";
import { collect, parseOptions } from "../options.js";
import { parseRunParameters } from "../run/params.js";
import { outcomeJson, printOutcome } from "../run/report.js";

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
    .option("--param <name=value>", "a parameter; the value is read as JSON when it is valid JSON, else as text (repeatable)", collect)
    .option("--params <json>", "parameters as one JSON object; --param values win over it")
    .option("--json", "print one JSON object with the run's ID, state and result")
    .addHelpText("after", "\nExamples:\n  baton run flows/etl.ts:etlFlow --param limit=2\n  baton run flows/etl.ts:etlFlow --params '{\"limit\":2,\"uppercase\":false}'")
    .action(async (entrypoint: string, raw: unknown) => {
      const options = parseOptions(RunOptions, raw);
      // Bad flags fail before the file is even loaded; bad values fail in runFlow, before a run exists.
      const parameters = parseRunParameters(options.param, options.params);
      const { out } = ctx;
      try {
        // The client first: opening the local database loads the server's modules, which is
        // quicker before the loader's resolution hooks are in place (they see every later import).
        await getClient();
        const { loadEntrypoint } = await import("baton/loader");
        const flow = await loadEntrypoint(entrypoint, { cwd: ctx.io.cwd });
        const outcome = await runFlow(flow, parameters, {
          onFlowRunCreated: ({ id, name }) => {
            if (!options.json) out.line(`Flow run ${out.colors.bold(name)} (${id}) created for flow '${flow.name}'`);
          },
        });
        if (options.json) out.json(outcomeJson(flow.name, outcome));
        else printOutcome(out, outcome);
        if (outcome.state.type !== "COMPLETED") ctx.exitCode = 1;
      } finally {
        // The engine's client (the shared one): a local one holds the database open.
        await closeSharedClient();
      }
    });
}
