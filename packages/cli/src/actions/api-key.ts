import { z } from "zod";
import { DurationTextSchema, MAX_PAGE_SIZE, ResourceNameSchema, RoleSchema } from "@baton/core";
import type { CommandContext } from "../context.js";
import { listLimitOption, parseOptions } from "../options.js";
import { firstItems } from "../list.js";
import { confirmRemoval } from "../prompt/confirm.js";
import { formatTime } from "../output/format.js";
import { renderTable } from "../output/table.js";

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `90d` -> 7776000. */
export function durationSeconds(text: string): number {
  return Number(text.slice(0, -1)) * UNIT_SECONDS[text.slice(-1)]!;
}

const CreateOptions = z.object({
  name: ResourceNameSchema,
  role: RoleSchema,
  expires: DurationTextSchema.optional(),
  workPool: z.array(ResourceNameSchema).optional(),
  deployment: z.array(z.string().regex(/^[^/]+\/[^/]+$/, "use FLOW/DEPLOYMENT")).optional(),
  json: z.boolean().default(false),
});
const ListOptions = z.object({ json: z.boolean().default(false), limit: listLimitOption() });

export async function createCommand(ctx: CommandContext, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(CreateOptions, raw);
  const client = await ctx.client();
  const created = await client.call("createApiKey", {
    body: {
      name: options.name,
      role: options.role,
      ...(options.expires ? { expires_in_seconds: durationSeconds(options.expires) } : {}),
      ...(options.workPool ? { work_pools: options.workPool } : {}),
      ...(options.deployment ? { deployments: options.deployment } : {}),
    },
  });
  if (options.json) return out.json(created);
  out.line(`Created API key '${created.name}' (role ${created.role}${created.expires ? `, expires ${formatTime(created.expires)}` : ""}). It is shown only now:`);
  out.line(created.key);
  out.note(`Use it with: baton login --url URL --key ${created.key.slice(0, 8)}... or BATON_API_KEY=...`);
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  const keys = await firstItems(out, options.limit, (cursor) => client.call("listApiKeys", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
  if (options.json) return out.json(keys);
  if (keys.length === 0) return out.note("No API keys; create one with baton api-key create --name NAME --role ROLE");
  const limits = (k: (typeof keys)[number]) => [...(k.work_pools ?? []).map((p) => `pool:${p}`), ...(k.deployments ?? []).map((d) => `deployment:${d}`)].join(",") || "-";
  const status = (k: (typeof keys)[number]) => (k.revoked ? "revoked" : k.expires && Date.parse(k.expires) <= Date.now() ? "expired" : "active");
  out.line(
    renderTable(
      ["NAME", "ROLE", "PREFIX", "STATUS", "LIMITS", "LAST USED", "EXPIRES", "CREATED"],
      keys.map((k) => [k.name, k.role, k.prefix, status(k), limits(k), formatTime(k.last_used), formatTime(k.expires), formatTime(k.created)]),
    ),
  );
}

export async function revokeCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  // No route reads one key by name; the question comes first, and the server says if there is no such key.
  await confirmRemoval(`Revoke API key '${name}' (it stops working at once)?`, raw);
  const client = await ctx.client();
  const revoked = await client.call("revokeApiKey", { params: { name } });
  out.result(revoked, () => out.line(`Revoked API key '${revoked.name}'`));
}
