import { z } from "zod";
import { closeSharedClient, getClient, runFlow } from "baton";
import type { CommandContext } from "../context.js";
import { parseOptions } from "../options.js";
import { parseRunParameters } from "../run/params.js";
import { outcomeJson, printOutcome } from "../run/report.js";

const RunOptions = z.object({
  param: z.array(z.string()).default([]),
  params: z.string().optional(),
  json: z.boolean().default(false),
});

export async function runCommand(ctx: CommandContext, entrypoint: string, raw: unknown) {
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
}
