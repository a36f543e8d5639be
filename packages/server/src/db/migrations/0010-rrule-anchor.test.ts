import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../../test/harness.js";
import { deploy } from "../../../test/dispatch-helpers.js";
import { insertDeploymentRun } from "../../deployments/insert-run.js";
import { readDeploymentRow, scheduleRowsOf } from "../../deployments/read.js";
import { scheduledRunKey } from "../../services/scheduler.js";
import { up } from "./0010-rrule-anchor.js";

describe.each(DATABASE_KINDS)("migration 0010 on %s", (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
  });

  it("removes the future runs an rrule without DTSTART made at each pass, and nothing else", async () => {
    app = await openTestApp(kind);
    const d = await deploy(app, { name: "mondays", paused: true, schedules: [{ rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9" }, { rrule: "DTSTART:20260105T090000Z\nRRULE:FREQ=WEEKLY" }, { cron: "0 9 * * MON" }] });
    const deployment = await readDeploymentRow(app.db.db, d.id);
    const [unanchored, anchored, cron] = (await scheduleRowsOf(app.db.db, [d.id])).get(d.id)!;
    const now = new Date();
    const later = (seconds: number) => new Date(now.getTime() + 86_400_000 + seconds * 1000);
    // What the old scheduler left: one run per pass, seconds apart, and one already due.
    const made = [
      [unanchored!.id, later(1)], [unanchored!.id, later(37)], [unanchored!.id, later(58)], [unanchored!.id, new Date(now.getTime() - 60_000)],
      [anchored!.id, later(0)], [cron!.id, later(0)],
    ] as const;
    await app.db.transaction(async (trx) => {
      for (const [scheduleId, time] of made) {
        await insertDeploymentRun(app!.db, trx, deployment, { parameters: {}, job_variables: null, tags: [], scheduledTime: time, idempotencyKey: scheduledRunKey(scheduleId, time), scheduleId }, now);
      }
    });
    await up(app.db.db as unknown as Kysely<unknown>);
    const left = await app.db.db.selectFrom("flow_runs").select(["schedule_id", "next_scheduled_time"]).where("deployment_id", "=", d.id).execute();
    expect(left.filter((r) => r.schedule_id === unanchored!.id)).toHaveLength(1); // the one already due
    expect(left.filter((r) => r.schedule_id === anchored!.id)).toHaveLength(1);
    expect(left.filter((r) => r.schedule_id === cron!.id)).toHaveLength(1);
    expect(await app.db.db.selectFrom("flow_run_states").select("id").where("flow_run_id", "not in", app.db.db.selectFrom("flow_runs").select("id")).execute()).toEqual([]);
  });
});
