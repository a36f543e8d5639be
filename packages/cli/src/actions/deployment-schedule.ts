import { z } from "zod";
import type { CommandContext } from "../context.js";
import { readDeploymentRef } from "../deployment/ref.js";
import { findSchedule } from "../deployment/schedule-ref.js";
import { nextTimes, printSchedule, printSchedules } from "../deployment/schedule-print.js";
import { scheduleFromFlags } from "../deployment/schedule-spec.js";
import { describeSchedule } from "../deployment/print.js";
import { confirmRemoval } from "../prompt/confirm.js";
import { firstOf } from "../list.js";
import { listLimitOption, parseOptions } from "../options.js";
import { noteUiLink } from "../output/ui-link.js";

/** How many coming runs `create` shows, so a wrong cron or time zone shows before the first run. */
const NEXT_SHOWN = 3;

const ListOptions = z.object({ limit: listLimitOption() });

export async function lsCommand(ctx: CommandContext, ref: string, raw: unknown) {
  const { limit } = parseOptions(ListOptions, raw);
  const found = await readDeploymentRef(await ctx.client(), ref);
  const shown = { ...found, schedules: firstOf(ctx.out, limit, found.schedules) };
  ctx.out.result(shown.schedules, () => printSchedules(ctx.out, shown));
  noteUiLink(ctx, { deployment: found.id });
}

export async function createCommand(ctx: CommandContext, ref: string, raw: unknown) {
  // The flags first: a schedule the server would refuse is a usage error before any call.
  const spec = scheduleFromFlags(raw);
  const client = await ctx.client();
  const found = await readDeploymentRef(client, ref);
  const before = new Set(found.schedules.map((s) => s.id));
  const changed = await client.call("createDeploymentSchedule", { params: { id: found.id }, body: spec });
  // The route answers with the deployment; the new schedule is the one it did not have (added last).
  const created = changed.schedules.find((s) => !before.has(s.id)) ?? changed.schedules.at(-1)!;
  // A paused schedule makes no runs: none is shown as next.
  const upcoming = created.active ? nextTimes(created, NEXT_SHOWN) : [];
  const name = `${changed.flow_name}/${changed.name}`;
  ctx.out.result({ ...created, next_run_times: upcoming }, () => {
    ctx.out.line(`Created schedule ${created.id} of deployment '${name}': ${describeSchedule(created.schedule)}`);
    printSchedule(ctx.out, created, upcoming);
  });
  if (!created.active) ctx.out.note(`The schedule is paused: it makes no runs until baton deployment schedule resume ${name} ${created.id}`);
  else if (changed.paused) ctx.out.note(`Deployment '${name}' is paused: the schedule makes no runs until baton deployment resume ${name}`);
  noteUiLink(ctx, { deployment: changed.id });
}

export const pauseCommand = (ctx: CommandContext, ref: string, scheduleRef: string) => setActive(ctx, ref, scheduleRef, false);
export const resumeCommand = (ctx: CommandContext, ref: string, scheduleRef: string) => setActive(ctx, ref, scheduleRef, true);

async function setActive(ctx: CommandContext, ref: string, scheduleRef: string, active: boolean) {
  const client = await ctx.client();
  const found = await readDeploymentRef(client, ref);
  const schedule = await findSchedule(found, scheduleRef);
  const changed = await client.call("updateDeploymentSchedule", { params: { id: found.id, schedule_id: schedule.id }, body: { active } });
  const now = changed.schedules.find((s) => s.id === schedule.id) ?? { ...schedule, active };
  const name = `${found.flow_name}/${found.name}`;
  const what = active ? "resumed; its coming runs are scheduled again" : "paused; the future runs it had made were removed";
  ctx.out.result(now, () => ctx.out.line(`Schedule ${schedule.id} (${describeSchedule(schedule.schedule)}) of deployment '${name}' ${what}`));
}

export async function deleteCommand(ctx: CommandContext, ref: string, scheduleRef: string, raw: unknown) {
  const client = await ctx.client();
  const found = await readDeploymentRef(client, ref);
  const schedule = await findSchedule(found, scheduleRef);
  const name = `${found.flow_name}/${found.name}`;
  await confirmRemoval(`Delete schedule ${schedule.id} (${describeSchedule(schedule.schedule)}) of deployment '${name}' and the future runs it made?`, raw);
  await client.call("deleteDeploymentSchedule", { params: { id: found.id, schedule_id: schedule.id } });
  ctx.out.result(schedule, () => ctx.out.line(`Deleted schedule ${schedule.id} of deployment '${name}'`));
}
