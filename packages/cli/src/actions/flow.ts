import { z } from "zod";
import { MAX_PAGE_SIZE } from "@baton/core";
import { allPages } from "baton";
import type { CommandContext } from "../context.js";
import { limitOption, parseOptions } from "../options.js";
import { printFlowDetails, printFlows, readFlowDetails } from "../flow/read.js";

const JsonOption = z.object({ json: z.boolean().default(false) });
const ListOptions = JsonOption.extend({
  limit: limitOption(100),
});

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  const flows = (await allPages((cursor) => client.call("listFlows", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }))).slice(0, options.limit);
  if (options.json) ctx.out.json(flows);
  else printFlows(ctx.out, flows);
}

export async function inspectCommand(ctx: CommandContext, name: string, raw: unknown) {
  const options = parseOptions(JsonOption, raw);
  const details = await readFlowDetails(await ctx.client(), name);
  if (options.json) ctx.out.json(details);
  else printFlowDetails(ctx.out, details);
}
