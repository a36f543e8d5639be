import type { Command } from "commander";
import { z } from "zod";
import { DurationTextSchema, MAX_PAGE_SIZE, ResourceNameSchema, RoleSchema } from "@baton/core";
import { allPages } from "baton";
import type { CommandContext } from "../context.js";
import { collect, parseOptions } from "../options.js";
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
const JsonOption = z.object({ json: z.boolean().default(false) });

/** API keys of the server: admins make them for people, CI and workers; each is shown once. */
export function registerApiKey(program: Command, ctx: CommandContext): void {
  const apiKey = program.command("api-key").description("Create, list and revoke the server's API keys (admin)");
  const { out } = ctx;

  apiKey
    .command("create")
    .description("Create an API key; it is printed once, the server keeps only a hash")
    .requiredOption("--name <name>", "a name for the key (who or what uses it): letters, digits, '-', '_', '.'")
    .requiredOption("--role <role>", "admin | deployer | worker | viewer")
    .option("--expires <duration>", "lifetime: 30m, 12h, 90d, 8w (default: never)")
    .option("--work-pool <pool>", "limit the key to this work pool (repeatable)", collect)
    .option("--deployment <flow/deployment>", "limit the key to this deployment (repeatable)", collect)
    .option("--json", "print the created key as JSON")
    .action(async (raw: unknown) => {
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
    });

  apiKey
    .command("ls")
    .description("List API keys: names, roles, prefixes, last use, expiry (never the keys)")
    .option("--json", "print the keys as a JSON array")
    .action(async (raw: unknown) => {
      const options = parseOptions(JsonOption, raw);
      const client = await ctx.client();
      const keys = await allPages((cursor) => client.call("listApiKeys", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
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
    });

  apiKey
    .command("revoke")
    .description("Revoke an API key: it stops working at once, and its UI sessions end")
    .argument("<name>", "the key's name (baton api-key ls)")
    .action(async (name: string) => {
      const client = await ctx.client();
      const revoked = await client.call("revokeApiKey", { params: { name } });
      out.line(`Revoked API key '${revoked.name}'`);
    });
}
