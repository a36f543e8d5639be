import { afterEach, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { DATABASE_KINDS, newFlowRun, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";
import { lateCandidates, markLateRuns } from "./late-runs.js";

describe.each(DATABASE_KINDS)("Late marking in batches on %s", (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
  });

  it("marks every overdue run once, more than a batch of them, reading only runs not yet Late", async () => {
    app = await openTestApp(kind);
    const overdue: string[] = [];
    for (let i = 0; i < 300; i++) overdue.push((await newFlowRun(app, { state: { type: "SCHEDULED", state_details: { scheduled_time: secondsFromNow(-60) } } })).id);
    const future = await newFlowRun(app, { state: { type: "SCHEDULED", state_details: { scheduled_time: secondsFromNow(3600) } } });
    expect(await markLateRuns(app.db, { lateAfterSeconds: 15 })).toBe(300);
    expect(await markLateRuns(app.db, { lateAfterSeconds: 15 })).toBe(0);
    const late = await app.db.db.selectFrom("flow_runs").select(["id", "state_name", "state_type", "state_id"]).where("state_name", "=", "Late").execute();
    expect(late.map((r) => r.id).sort()).toEqual(overdue.sort());
    expect(late.every((r) => r.state_type === "SCHEDULED")).toBe(true);
    const states = await app.db.db.selectFrom("flow_run_states").select(["id", "flow_run_id"]).where("name", "=", "Late").execute();
    expect(states).toHaveLength(300);
    // The run's current state is the Late state of its history.
    expect(new Set(states.map((s) => s.id))).toEqual(new Set(late.map((r) => r.state_id)));
    expect((await app.api("GET", `/flow_runs/${future.id}`)).body.state_name).toBe("Scheduled");

    const query = lateCandidates(kind, new Date().toISOString());
    const plan =
      kind === "sqlite"
        ? (await sql<{ detail: string }>`explain query plan ${query}`.execute(app.db.db)).rows.map((r) => r.detail).join("\n")
        : await app.db.transaction(async (trx) => {
            await sql`set local enable_seqscan = off`.execute(trx);
            return (await sql<{ "QUERY PLAN": string }>`explain ${query}`.execute(trx)).rows.map((r) => r["QUERY PLAN"]).join("\n");
          });
    expect(plan).toMatch(/ix_flow_runs_not_late/);
  });

  it("a pass whose clock was read before a run was created still stores Late after the run's Scheduled state", async () => {
    app = await openTestApp(kind);
    const passStarted = new Date();
    const run = await newFlowRun(app, { state: { type: "SCHEDULED", state_details: { scheduled_time: secondsFromNow(-60) } } });
    expect(await markLateRuns(app.db, { lateAfterSeconds: 15, now: new Date(passStarted.getTime() - 5_000) })).toBe(1);
    const history = (await app.api("GET", `/flow_runs/${run.id}/states`)).body.items as Array<{ name: string; timestamp: string }>;
    expect(history.map((s) => s.name)).toEqual(["Scheduled", "Late"]);
    expect(history[1]!.timestamp > history[0]!.timestamp).toBe(true);
  });
});
