import { z } from "zod";
import { MAX_PAGE_SIZE, NotifyStateSchema, STATE_TYPES, StateTypeSchema, type Automation, type AutomationAction, type AutomationFiring, type AutomationTrigger } from "@baton/core";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { limitOption, listLimitOption, parseOptions } from "../options.js";
import { firstItems } from "../list.js";
import { confirmRemoval } from "../prompt/confirm.js";
import { formatTime } from "../output/format.js";
import { renderTable } from "../output/table.js";

const JsonOption = z.object({ json: z.boolean().default(false) });
const ListOptions = JsonOption.extend({ limit: listLimitOption() });
const Names = z.array(z.string()).default([]);
const CreateOptions = JsonOption.extend({
  on: z.string().optional(),
  runningLongerThan: z.string().optional(),
  afterState: z.string().optional(),
  expectState: z.string().optional(),
  within: z.string().optional(),
  expectCompletedBy: z.string().optional(),
  timezone: z.string().optional(),
  poolOfflineFor: z.string().optional(),
  flow: Names,
  deployment: Names,
  tag: Names,
  pool: Names,
  runDeployment: Names,
  param: Names,
  cancelRun: z.boolean().default(false),
  pauseDeployment: Names,
  resumeDeployment: Names,
  pausePool: Names,
  resumePool: Names,
  notify: Names,
  disabled: z.boolean().default(false),
});
const FiringOptions = JsonOption.extend({ automation: z.string().optional(), flowRun: z.string().optional(), limit: limitOption(20) });

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `30m`, `2h`, `1d` -> seconds. */
export function durationSeconds(text: string, flag = "--running-longer-than"): number {
  const m = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} "${text}": give a number and a unit, such as 90s, 30m, 2h or 1d`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

const TRIGGER_FLAGS = "--on failed,crashed,late,cancelled,completed, --running-longer-than 2h, --after-state pending --expect-state running --within 10m, --expect-completed-by 07:00 or --pool-offline-for 10m";

/** `pending,scheduled` -> run state types, a wrong one named with its flag. */
function stateTypes(text: string, flag: string) {
  return text.split(",").map((word) => {
    const parsed = StateTypeSchema.safeParse(word.trim().toUpperCase());
    if (!parsed.success) throw new UsageError(`${flag} "${word}": not a run state; use ${STATE_TYPES.map((t) => t.toLowerCase()).join(", ")}`);
    return parsed.data;
  });
}

/** `--after-state`, `--expect-state` and `--within` go together, all three. */
function notInStateWithin(o: z.output<typeof CreateOptions>, match: { flows: string[]; deployments: string[]; tags: string[]; work_pools: string[] }): AutomationTrigger {
  const missing = [["--after-state", o.afterState], ["--expect-state", o.expectState], ["--within", o.within]].filter(([, v]) => !v).map(([flag]) => flag);
  if (missing.length > 0) throw new UsageError(`${missing.join(" and ")}: the trigger "not in a state within a time after entering another" takes --after-state, --expect-state and --within, e.g. --after-state pending --expect-state running --within 10m`);
  return { type: "not_in_state_within", after: stateTypes(o.afterState!, "--after-state"), expect: stateTypes(o.expectState!, "--expect-state"), seconds: durationSeconds(o.within!, "--within"), match };
}

function triggerOf(o: z.output<typeof CreateOptions>): AutomationTrigger {
  const match = { flows: o.flow, deployments: o.deployment, tags: o.tag, work_pools: o.pool };
  const proactive = Boolean(o.afterState || o.expectState || o.within);
  const given = [o.on, o.runningLongerThan, o.expectCompletedBy, o.poolOfflineFor, proactive].filter(Boolean).length;
  if (given !== 1) throw new UsageError(`give one trigger: ${TRIGGER_FLAGS}`);
  if (proactive) return notInStateWithin(o, match);
  if (o.timezone && !o.expectCompletedBy) throw new UsageError("--timezone goes with --expect-completed-by");
  if (o.runningLongerThan) return { type: "running_longer_than", seconds: durationSeconds(o.runningLongerThan), match };
  if (o.poolOfflineFor) {
    if (o.flow.length + o.deployment.length + o.tag.length > 0) throw new UsageError("--pool-offline-for watches pools: name them with --pool (none: every pool); --flow, --deployment and --tag do not apply");
    return { type: "work_pool_offline", seconds: durationSeconds(o.poolOfflineFor, "--pool-offline-for"), work_pools: o.pool };
  }
  if (o.expectCompletedBy) {
    if (o.deployment.length !== 1 || o.flow.length + o.tag.length + o.pool.length > 0) throw new UsageError("--expect-completed-by watches one deployment: give it with --deployment FLOW/NAME (and nothing else to match)");
    return { type: "no_completed_run_by", deployment: o.deployment[0]!, time: o.expectCompletedBy, ...(o.timezone ? { timezone: o.timezone } : {}) };
  }
  const states = o.on!.split(",").map((word) => {
    const parsed = NotifyStateSchema.safeParse(word.trim().toUpperCase());
    if (!parsed.success) throw new UsageError(`--on "${word}": not a state an automation can watch; use failed, crashed, late, cancelled or completed`);
    return parsed.data;
  });
  return { type: "state", states, match };
}

/** `--param key=value`: the value as JSON when it parses (`3`, `true`, `"{{ flow_run.id }}"`), else the text. */
function parametersOf(pairs: string[]): Record<string, unknown> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf("=");
      if (at < 1) throw new UsageError(`--param "${pair}": write key=value, e.g. --param failed_run={{ flow_run.id }}`);
      const raw = pair.slice(at + 1);
      let value: unknown = raw;
      try {
        value = JSON.parse(raw);
      } catch {
        // text as it is
      }
      return [pair.slice(0, at), value];
    }),
  );
}

function actionsOf(o: z.output<typeof CreateOptions>): AutomationAction[] {
  const parameters = parametersOf(o.param);
  const actions: AutomationAction[] = [
    ...o.runDeployment.map((deployment): AutomationAction => ({ type: "run_deployment", deployment, parameters })),
    ...(o.cancelRun ? [{ type: "cancel_run" } as const] : []),
    ...o.pauseDeployment.map((deployment): AutomationAction => ({ type: "pause_deployment", deployment })),
    ...o.resumeDeployment.map((deployment): AutomationAction => ({ type: "resume_deployment", deployment })),
    ...o.pausePool.map((work_pool): AutomationAction => ({ type: "pause_work_pool", work_pool })),
    ...o.resumePool.map((work_pool): AutomationAction => ({ type: "resume_work_pool", work_pool })),
    ...o.notify.map((rule): AutomationAction => ({ type: "notify", rule })),
  ];
  if (actions.length === 0) throw new UsageError("give at least one action: --run-deployment FLOW/NAME, --cancel-run, --pause-deployment, --resume-deployment, --pause-pool, --resume-pool or --notify RULE");
  if (o.param.length > 0 && o.runDeployment.length === 0) throw new UsageError("--param goes with --run-deployment");
  return actions;
}

function triggerText({ trigger: t }: Automation): string {
  switch (t.type) {
    case "state":
      return `on ${t.states.join(",")}`;
    case "running_longer_than":
      return `running > ${t.seconds}s`;
    case "not_in_state_within":
      return `${t.after.join(",")} -> not ${t.expect.join(",")} within ${t.seconds}s`;
    case "no_completed_run_by":
      return `no completed ${t.deployment} by ${t.time}${t.timezone ? ` ${t.timezone}` : ""}`;
    case "work_pool_offline":
      return `${t.work_pools.join(",") || "any pool"} offline > ${t.seconds}s`;
  }
}
const actionText = (a: Automation) => a.actions.map((x) => ("deployment" in x ? `${x.type} ${x.deployment}` : "work_pool" in x ? `${x.type} ${x.work_pool}` : "rule" in x ? `notify ${x.rule}` : x.type)).join("; ");
const HEADERS = ["NAME", "TRIGGER", "ACTIONS", "ENABLED"];
const row = (a: Automation) => [a.name, triggerText(a), actionText(a), a.enabled ? "yes" : "no"];
const FIRING_HEADERS = ["CREATED", "AUTOMATION", "EVENT", "FLOW RUN", "STATUS", "ATTEMPTS", "LAST ERROR"];
const firingRow = (f: AutomationFiring) => [formatTime(f.created), f.automation_name, f.event, f.flow_run_id ?? "-", f.status, String(f.attempts), f.last_error ?? "-"];

export async function createCommand(ctx: CommandContext, name: string, raw: unknown) {
  const o = parseOptions(CreateOptions, raw);
  const body = { name, trigger: triggerOf(o), actions: actionsOf(o), enabled: !o.disabled };
  const created = await (await ctx.client()).call("createAutomation", { body });
  if (o.json) return ctx.out.json(created);
  ctx.out.line(`Created automation '${created.name}': ${triggerText(created)} -> ${actionText(created)}`);
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const o = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  const items = await firstItems(ctx.out, o.limit, (cursor) => client.call("listAutomations", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
  if (o.json) return ctx.out.json(items);
  if (items.length === 0) return ctx.out.note("No automations; create one with baton automation create NAME --on failed --notify RULE");
  ctx.out.line(renderTable(HEADERS, items.map(row)));
}

export async function inspectCommand(ctx: CommandContext, name: string, raw: unknown) {
  const o = parseOptions(JsonOption, raw);
  const automation = await (await ctx.client()).call("readAutomation", { params: { name } });
  if (o.json) return ctx.out.json(automation);
  ctx.out.line(renderTable(HEADERS, [row(automation)]));
}

async function switchAutomation(ctx: CommandContext, name: string, route: "pauseAutomation" | "resumeAutomation", done: string) {
  const automation = await (await ctx.client()).call(route, { params: { name } });
  ctx.out.result(automation, () => ctx.out.line(`${done} automation '${name}'`));
}

export const pauseCommand = (ctx: CommandContext, name: string) => switchAutomation(ctx, name, "pauseAutomation", "Paused");
export const resumeCommand = (ctx: CommandContext, name: string) => switchAutomation(ctx, name, "resumeAutomation", "Resumed");

export async function deleteCommand(ctx: CommandContext, name: string, raw: unknown) {
  const client = await ctx.client();
  const automation = await client.call("readAutomation", { params: { name } });
  await confirmRemoval(`Delete automation '${automation.name}' (${triggerText(automation)} -> ${actionText(automation)})?`, raw);
  await client.call("deleteAutomation", { params: { name: automation.name } });
  ctx.out.result(automation, () => ctx.out.line(`Deleted automation '${automation.name}'`));
}

export async function firingsCommand(ctx: CommandContext, raw: unknown) {
  const o = parseOptions(FiringOptions, raw);
  const query = { limit: Math.min(o.limit, MAX_PAGE_SIZE), ...(o.automation ? { automation: o.automation } : {}), ...(o.flowRun ? { flow_run_id: o.flowRun } : {}) };
  const page = await (await ctx.client()).call("listAutomationFirings", { query });
  if (o.json) return ctx.out.json(page.items);
  if (page.items.length === 0) return ctx.out.note("No firings yet");
  ctx.out.line(renderTable(FIRING_HEADERS, page.items.map(firingRow)));
}
