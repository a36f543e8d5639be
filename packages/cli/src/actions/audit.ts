import { z } from "zod";
import { MAX_PAGE_SIZE } from "@baton/core";
import type { CommandContext } from "../context.js";
import { parseOptions } from "../options.js";
import { formatTime } from "../output/format.js";
import { renderTable } from "../output/table.js";

const ListOptions = z.object({
  json: z.boolean().default(false),
  limit: z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be 1 or more").max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`).default(50),
  actor: z.string().min(1).optional(),
  action: z.string().min(1).optional(),
});

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  const page = await client.call("listAudit", {
    query: { limit: options.limit, ...(options.actor ? { actor: options.actor } : {}), ...(options.action ? { action: options.action } : {}) },
  });
  const { out } = ctx;
  if (options.json) return out.json(page.items);
  if (page.items.length === 0) return out.note("No audit entries yet");
  out.line(renderTable(["TIME", "ACTOR", "ROLE", "ACTION", "OBJECT", "STATUS", "ADDRESS"], page.items.map((e) => [formatTime(e.time), e.actor, e.role ?? "-", e.action, e.object, String(e.status), e.address ?? "-"])));
  if (page.next_cursor) out.note(`Showing the newest ${page.items.length}; use --limit for more`);
}
