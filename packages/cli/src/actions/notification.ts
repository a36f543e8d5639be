import { z } from "zod";
import { MAX_PAGE_SIZE, NotifyStateSchema, type NotificationDelivery, type NotificationRule } from "@baton/core";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { limitOption, listLimitOption, parseOptions } from "../options.js";
import { firstItems } from "../list.js";
import { confirmRemoval } from "../prompt/confirm.js";
import { targetFromOptions } from "../notification/target.js";
import { formatTime } from "../output/format.js";
import { renderTable } from "../output/table.js";

const JsonOption = z.object({ json: z.boolean().default(false) });
const ListOptions = JsonOption.extend({ limit: listLimitOption() });
const CreateOptions = JsonOption.extend({
  on: z.string(),
  flow: z.array(z.string()).default([]),
  deployment: z.array(z.string()).default([]),
  tag: z.array(z.string()).default([]),
  pool: z.array(z.string()).default([]),
  webhook: z.string().optional(),
  hmacSecret: z.string().optional(),
  slack: z.string().optional(),
  teams: z.string().optional(),
  emailTo: z.array(z.string()).default([]),
  emailFrom: z.string().optional(),
  smtpHost: z.string().optional(),
  smtpPort: z.coerce.number({ message: "must be a port number" }).int().min(1).max(65535).optional(),
  smtpSecure: z.boolean().default(false),
  smtpUsername: z.string().optional(),
  smtpPassword: z.string().optional(),
  title: z.string().optional(),
  body: z.string().optional(),
  disabled: z.boolean().default(false),
});
const DeliveryOptions = JsonOption.extend({ rule: z.string().optional(), status: z.enum(["pending", "delivered", "failed"]).optional(), flowRun: z.string().optional(), limit: limitOption(20) });

/** `failed,crashed` -> ["FAILED", "CRASHED"], naming a word that is not a state. */
function statesOf(text: string) {
  return text.split(",").map((word) => {
    const parsed = NotifyStateSchema.safeParse(word.trim().toUpperCase());
    if (!parsed.success) throw new UsageError(`--on "${word}": not a state a rule can watch; use failed, crashed, late, cancelled or completed (comma-separated)`);
    return parsed.data;
  });
}

function where(rule: NotificationRule): string {
  const t = rule.target;
  return t.type === "email" ? `email ${t.to?.join(", ")} via ${t.host}:${t.port}` : `${t.type} ${t.url}`;
}

function matchText(rule: NotificationRule): string {
  const m = rule.match;
  const parts = [...m.flows.map((f) => `flow ${f}`), ...m.deployments.map((d) => `deployment ${d}`), ...m.tags.map((t) => `tag ${t}`), ...m.work_pools.map((p) => `pool ${p}`)];
  return parts.length > 0 ? parts.join(", ") : "every run";
}

const RULE_HEADERS = ["NAME", "ON", "RUNS", "TARGET", "ENABLED"];
const ruleRow = (r: NotificationRule) => [r.name, r.states.join(","), matchText(r), where(r), r.enabled ? "yes" : "no"];
const DELIVERY_HEADERS = ["CREATED", "RULE", "EVENT", "FLOW RUN", "STATUS", "ATTEMPTS", "LAST ERROR"];
const deliveryRow = (d: NotificationDelivery) => [formatTime(d.created), d.rule_name, d.event, d.flow_run_id ?? "-", d.status, String(d.attempts), d.last_error ?? "-"];

export async function createCommand(ctx: CommandContext, name: string, raw: unknown) {
  const o = parseOptions(CreateOptions, raw);
  const body = {
    name,
    states: statesOf(o.on),
    match: { flows: o.flow, deployments: o.deployment, tags: o.tag, work_pools: o.pool },
    target: targetFromOptions(o),
    enabled: !o.disabled,
    ...(o.title ? { title: o.title } : {}),
    ...(o.body ? { body: o.body } : {}),
  };
  const client = await ctx.client();
  const rule = await client.call("createNotificationRule", { body });
  if (o.json) return ctx.out.json(rule);
  ctx.out.line(`Created notification rule '${rule.name}': ${rule.states.join(", ")} of ${matchText(rule)} -> ${where(rule)}`);
  ctx.out.note(`Check it reaches you: baton notification test ${rule.name}`);
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const o = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  const items = await firstItems(ctx.out, o.limit, (cursor) => client.call("listNotificationRules", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
  if (o.json) return ctx.out.json(items);
  if (items.length === 0) return ctx.out.note("No notification rules; create one with baton notification create NAME --on failed --slack URL");
  ctx.out.line(renderTable(RULE_HEADERS, items.map(ruleRow)));
}

export async function inspectCommand(ctx: CommandContext, name: string, raw: unknown) {
  const o = parseOptions(JsonOption, raw);
  const rule = await (await ctx.client()).call("readNotificationRule", { params: { name } });
  if (o.json) return ctx.out.json(rule);
  ctx.out.line(renderTable(RULE_HEADERS, [ruleRow(rule)]));
}

async function setEnabled(ctx: CommandContext, name: string, enabled: boolean) {
  const rule = await (await ctx.client()).call("updateNotificationRule", { params: { name }, body: { enabled } });
  ctx.out.result(rule, () => ctx.out.line(`${enabled ? "Enabled" : "Disabled"} notification rule '${name}'`));
}

export const enableCommand = (ctx: CommandContext, name: string) => setEnabled(ctx, name, true);
export const disableCommand = (ctx: CommandContext, name: string) => setEnabled(ctx, name, false);

export async function deleteCommand(ctx: CommandContext, name: string, raw: unknown) {
  const client = await ctx.client();
  const rule = await client.call("readNotificationRule", { params: { name } });
  await confirmRemoval(`Delete notification rule '${rule.name}' (${where(rule)})?`, raw);
  await client.call("deleteNotificationRule", { params: { name: rule.name } });
  ctx.out.result(rule, () => ctx.out.line(`Deleted notification rule '${rule.name}'`));
}

export async function testCommand(ctx: CommandContext, name: string, raw: unknown) {
  const o = parseOptions(JsonOption, raw);
  const delivery = await (await ctx.client()).call("testNotificationRule", { params: { name } });
  if (o.json) return ctx.out.json(delivery);
  ctx.out.line(`Queued a test message for '${name}' (delivery ${delivery.id}); see whether it got through with baton notification deliveries --rule ${name}`);
}

export async function deliveriesCommand(ctx: CommandContext, raw: unknown) {
  const o = parseOptions(DeliveryOptions, raw);
  const query = { limit: Math.min(o.limit, MAX_PAGE_SIZE), ...(o.rule ? { rule: o.rule } : {}), ...(o.status ? { status: o.status } : {}), ...(o.flowRun ? { flow_run_id: o.flowRun } : {}) };
  const page = await (await ctx.client()).call("listNotificationDeliveries", { query });
  if (o.json) return ctx.out.json(page.items);
  if (page.items.length === 0) return ctx.out.note("No deliveries yet");
  ctx.out.line(renderTable(DELIVERY_HEADERS, page.items.map(deliveryRow)));
}
