import { z } from "zod";
import { MAX_PAGE_SIZE, SecretNameSchema, describeScope } from "@baton/core";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { listLimitOption, parseOptions } from "../options.js";
import { firstItems } from "../list.js";
import { confirmRemoval } from "../prompt/confirm.js";
import { formatTime } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { readSecretValue } from "../secret/read-value.js";

const SetOptions = z.object({
  value: z.string().optional(),
  pool: z.array(z.string()).optional(),
  deployment: z.array(z.string()).optional(),
  keepValue: z.boolean().default(false),
});
const ListOptions = z.object({ json: z.boolean().default(false), limit: listLimitOption() });

function secretName(name: string): string {
  const parsed = SecretNameSchema.safeParse(name);
  if (!parsed.success) throw new UsageError(`secret name "${name}": ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export async function setCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(SetOptions, raw);
  const checked = secretName(name);
  if (options.keepValue && options.value !== undefined) throw new UsageError("--keep-value and --value contradict each other: give one");
  if (options.keepValue && !options.pool && !options.deployment) throw new UsageError("--keep-value changes only the scope: give --pool and/or --deployment");
  const value = options.keepValue ? undefined : (options.value ?? (await readSecretValue(checked, out)));
  if (value === "") throw new UsageError(`--value is empty; a secret needs a value`);
  const client = await ctx.client();
  const saved = await client.call("setSecret", {
    params: { name: checked },
    body: { ...(value !== undefined ? { value } : {}), ...(options.pool ? { work_pools: options.pool } : {}), ...(options.deployment ? { deployments: options.deployment } : {}) },
  });
  out.result(saved, () => out.line(`Set secret '${checked}': usable by ${describeScope(saved)}`));
  if (saved.work_pools.length === 0) out.note(`No deployment may use it yet: give it a scope with baton secret set ${checked} --keep-value --pool POOL [--deployment FLOW/NAME]`);
  out.note(`Reference it as "{{ baton.secrets.${checked} }}"`);
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  const items = await firstItems(out, options.limit, (cursor) => client.call("listSecrets", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
  if (options.json) return out.json(items);
  if (items.length === 0) return out.note("No secrets; set one with baton secret set NAME");
  out.line(renderTable(["NAME", "POOLS", "DEPLOYMENTS", "UPDATED"], items.map((s) => [s.name, s.work_pools.join(",") || "(none)", s.deployments.join(",") || "(none)", formatTime(s.updated)])));
}

export async function deleteCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const checked = secretName(name);
  // No route reads one secret (values never leave the server), so the question comes first.
  await confirmRemoval(`Delete secret '${checked}' (runs that reference it will fail to resolve it)?`, raw);
  const client = await ctx.client();
  await client.call("deleteSecret", { params: { name: checked } });
  out.result({ name: checked, deleted: true }, () => out.line(`Deleted secret '${checked}'`));
}
