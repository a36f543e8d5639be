import { z } from "zod";
import { BatonError, MAX_PAGE_SIZE, SecretNameSchema } from "@baton/core";
import { isNotFound } from "../api-errors.js";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { listLimitOption, parseOptions } from "../options.js";
import { firstItems } from "../list.js";
import { confirmRemoval } from "../prompt/confirm.js";
import { formatTime } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { parseParamValue } from "../run/params.js";

const ListOptions = z.object({ json: z.boolean().default(false), limit: listLimitOption() });
const SetOptions = z.object({ overwrite: z.boolean().default(false) });

export class VariableExists extends BatonError {
  override readonly code = "VariableExists";
  override readonly status = 409;
}

function variableName(name: string): string {
  const parsed = SecretNameSchema.safeParse(name);
  if (!parsed.success) throw new UsageError(`variable name "${name}": ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export async function setCommand(ctx: CommandContext, name: string, value: string, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(SetOptions, raw);
  const client = await ctx.client();
  const checked = variableName(name);
  // Read-then-write: the API's PUT replaces, and a typo'd name should not clobber a value someone relies on.
  if (!options.overwrite) {
    const existing = await client.call("readVariable", { params: { name: checked } }).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (existing) throw new VariableExists(`VariableExists: variable '${name}' is already set to ${JSON.stringify(existing.value)}; replace it with baton variable set ${name} VALUE --overwrite`);
  }
  const saved = await client.call("setVariable", { params: { name: checked }, body: { value: parseParamValue(value) } });
  out.result(saved, () => out.line(`Set variable '${name}'`));
}

export async function getCommand(ctx: CommandContext, name: string) {
  const { out } = ctx;
  const client = await ctx.client();
  const found = await client.call("readVariable", { params: { name: variableName(name) } });
  // The value alone, as JSON, is what a script wants from `get`; -o json|yaml gives the variable.
  out.result(found, () => out.line(JSON.stringify(found.value)));
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  const items = await firstItems(out, options.limit, (cursor) => client.call("listVariables", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
  if (options.json) return out.json(items);
  if (items.length === 0) return out.note("No variables; set one with baton variable set NAME VALUE");
  out.line(renderTable(["NAME", "VALUE", "UPDATED"], items.map((v) => [v.name, JSON.stringify(v.value), formatTime(v.updated)])));
}

export async function deleteCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const client = await ctx.client();
  const found = await client.call("readVariable", { params: { name: variableName(name) } });
  await confirmRemoval(`Delete variable '${found.name}' (${JSON.stringify(found.value)})?`, raw);
  await client.call("deleteVariable", { params: { name: found.name } });
  out.result(found, () => out.line(`Deleted variable '${found.name}'`));
}
