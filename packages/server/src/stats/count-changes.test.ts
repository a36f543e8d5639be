import { afterEach, describe, expect, it } from "vitest";
import { FlowRunStatsQuerySchema } from "@baton/core";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { deploy, newPool } from "../../test/dispatch-helpers.js";
import { flowRunStats } from "./repository.js";

describe.each(DATABASE_KINDS)("the counts' changes of a fill on %s", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("count every run the scheduler inserts, in one change per hour and state on PostgreSQL", async () => {
    const app: TestApp = await openTestApp(kind);
    cleanups.push(() => app.cleanup());
    await newPool(app, "minutely");
    // Writing the deployment fills its next hour: 60 or more runs in one insert statement.
    const deployment = await deploy(app, { name: "minutely", work_pool_name: "minutely", schedules: [{ cron: "* * * * *" }] });
    const runs = Number((await app.db.db.selectFrom("flow_runs").select((eb) => eb.fn.countAll().as("n")).where("deployment_id", "=", deployment.id).executeTakeFirstOrThrow()).n);
    expect(runs).toBeGreaterThanOrEqual(60);
    const changes = await app.db.db.selectFrom("flow_run_count_changes").select(["hour", "state_type", "delta"]).where("deployment_id", "=", deployment.id).execute();
    expect(changes.reduce((n, c) => n + Number(c.delta), 0)).toBe(runs);
    const hours = new Set(changes.map((c) => c.hour)).size;
    // SQLite has no statement triggers: one change a run there.
    expect(changes.length).toBe(kind === "postgresql" ? hours : runs);
    const query = FlowRunStatsQuerySchema.parse({ since: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 3 * 3_600_000).toISOString(), bucket_seconds: 3600, deployment_id: deployment.id });
    const now = new Date();
    expect(await flowRunStats(app.db, query, now)).toEqual(await flowRunStats(app.db, query, now, { useCounts: false }));
  });
});
