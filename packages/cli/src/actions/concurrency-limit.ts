import { z } from "zod";
import { ConcurrencyLimitNameSchema, MAX_PAGE_SIZE, type ConcurrencyLimit } from "@baton/core";
import type { CommandContext } from "../context.js";
import type { Output } from "../output/io.js";
import { UsageError } from "../errors.js";
import { listLimitOption, parseOptions } from "../options.js";
import { firstItems } from "../list.js";
import { confirmRemoval } from "../prompt/confirm.js";
import { formatTime } from "../output/format.js";
import { renderTable } from "../output/table.js";

const whole = z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(0, "must be at least 0");
const decay = z.coerce.number({ message: "must be a number" }).min(0, "must be at least 0");
const JsonOption = z.object({ json: z.boolean().default(false) });
const ListOptions = JsonOption.extend({ limit: listLimitOption() });
const CreateOptions = JsonOption.extend({ limit: whole, slotDecayPerSecond: decay.optional(), inactive: z.boolean().default(false) });
const UpdateOptions = JsonOption.extend({ limit: whole.optional(), slotDecayPerSecond: decay.optional(), active: z.boolean().optional() });

function limitName(name: string): string {
  const parsed = ConcurrencyLimitNameSchema.safeParse(name);
  if (!parsed.success) throw new UsageError(`concurrency limit name "${name}": ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

function rows(limits: ConcurrencyLimit[]): string[][] {
  return limits.map((l) => [l.name, `${l.active_slots}/${l.limit}`, l.slot_decay_per_second > 0 ? `${l.slot_decay_per_second}/s` : "-", l.active ? "yes" : "no", formatTime(l.updated)]);
}

const HEADERS = ["NAME", "IN USE", "DECAY", "ACTIVE", "UPDATED"];

function show(out: Output, limit: ConcurrencyLimit, json: boolean, verb: string): void {
  if (json) out.json(limit);
  else out.line(`${verb} concurrency limit '${limit.name}' (limit ${limit.limit}${limit.slot_decay_per_second > 0 ? `, ${limit.slot_decay_per_second} slot(s) back per second` : ""})`);
}

export async function createCommand(ctx: CommandContext, name: string, raw: unknown) {
  const options = parseOptions(CreateOptions, raw);
  const client = await ctx.client();
  const created = await client.call("createConcurrencyLimit", {
    body: { name: limitName(name), limit: options.limit, slot_decay_per_second: options.slotDecayPerSecond ?? 0, active: !options.inactive },
  });
  show(ctx.out, created, options.json, "Created");
}

export async function createTagCommand(ctx: CommandContext, tag: string, limit: string, raw: unknown) {
  const options = parseOptions(JsonOption, raw);
  const parsedLimit = whole.safeParse(limit);
  if (!parsedLimit.success) throw new UsageError(`limit "${limit}": ${parsedLimit.error.issues[0]!.message}`);
  const client = await ctx.client();
  const created = await client.call("createConcurrencyLimit", { body: { name: limitName(`tag:${tag}`), limit: parsedLimit.data } });
  show(ctx.out, created, options.json, "Created");
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  const items = await firstItems(out, options.limit, (cursor) => client.call("listConcurrencyLimits", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
  if (options.json) return out.json(items);
  if (items.length === 0) return out.note("No concurrency limits; create one with baton concurrency-limit create NAME --limit N");
  out.line(renderTable(HEADERS, rows(items)));
}

export async function inspectCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(JsonOption, raw);
  const client = await ctx.client();
  const limit = await client.call("readConcurrencyLimit", { params: { name: limitName(name) } });
  if (options.json) return out.json(limit);
  out.line(renderTable(HEADERS, rows([limit])));
}

export async function updateCommand(ctx: CommandContext, name: string, raw: unknown) {
  const options = parseOptions(UpdateOptions, raw);
  const body = {
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.slotDecayPerSecond !== undefined ? { slot_decay_per_second: options.slotDecayPerSecond } : {}),
    ...(options.active !== undefined ? { active: options.active } : {}),
  };
  if (Object.keys(body).length === 0) throw new UsageError("nothing to update; give --limit N, --slot-decay-per-second R, --active or --no-active");
  const client = await ctx.client();
  show(ctx.out, await client.call("updateConcurrencyLimit", { params: { name: limitName(name) }, body }), options.json, "Updated");
}

export async function deleteCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { out } = ctx;
  const client = await ctx.client();
  const found = await client.call("readConcurrencyLimit", { params: { name: limitName(name) } });
  await confirmRemoval(`Delete concurrency limit '${found.name}' (${found.active_slots}/${found.limit} slots in use)?`, raw);
  await client.call("deleteConcurrencyLimit", { params: { name: found.name } });
  out.result(found, () => out.line(`Deleted concurrency limit '${found.name}'`));
}
