import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";

describe.each(DATABASE_KINDS)("GET /stats/flow_runs on %s", (kind) => {
  let app: TestApp;
  const base = Date.parse("2026-03-01T10:00:00.000Z");
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  beforeAll(async () => {
    app = await openTestApp(kind);
    // Runs are placed by when they were due: a SCHEDULED first state sets that time.
    const runs: [number, string, string][] = [
      [5, "COMPLETED", "stats-a"], [10, "COMPLETED", "stats-a"], [20, "FAILED", "stats-a"],
      [65, "CRASHED", "stats-b"], [70, "COMPLETED", "stats-b"], [130, "FAILED", "stats-a"], [-5, "FAILED", "stats-a"],
    ];
    for (const [minutes, type, flow] of runs) {
      const run = await newFlowRun(app, { flow_name: flow, state: { type: "SCHEDULED", state_details: { scheduled_time: at(minutes) } } });
      await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type }, force: true });
    }
  });
  afterAll(() => app.cleanup());

  it("counts runs by state type per bucket, empty buckets included", async () => {
    const answer = await app.api("GET", `/stats/flow_runs?since=${at(0)}&until=${at(180)}&bucket_seconds=3600`);
    expect(answer.status).toBe(200);
    const { buckets, totals } = answer.body;
    expect(buckets.map((b: any) => b.start)).toEqual([at(0), at(60), at(120)]);
    expect(buckets[0].counts).toMatchObject({ COMPLETED: 2, FAILED: 1, CRASHED: 0, RUNNING: 0 });
    expect(buckets[1].counts).toMatchObject({ COMPLETED: 1, CRASHED: 1, FAILED: 0 });
    expect(buckets[2].counts).toMatchObject({ FAILED: 1, COMPLETED: 0 });
    expect(totals).toMatchObject({ COMPLETED: 3, FAILED: 2, CRASHED: 1, SCHEDULED: 0 });
    expect(answer.body.state_types).toContain("CANCELLING");
  });

  it("filters by flow", async () => {
    const flows = (await app.api("GET", "/flows?limit=50")).body.items as any[];
    const flowB = flows.find((f) => f.name === "stats-b");
    const answer = await app.api("GET", `/stats/flow_runs?since=${at(0)}&until=${at(180)}&bucket_seconds=3600&flow_id=${flowB.id}`);
    expect(answer.body.totals).toMatchObject({ COMPLETED: 1, CRASHED: 1, FAILED: 0 });
  });

  it("refuses a window of too many buckets, saying what bucket width would do", async () => {
    const answer = await app.api("GET", `/stats/flow_runs?since=${at(0)}&until=${at(60 * 24 * 30)}&bucket_seconds=60`);
    expect(answer.status).toBe(422);
    expect(answer.body.issues[0]).toMatchObject({ path: "query.bucket_seconds", message: expect.stringContaining("use bucket_seconds of at least 2592") });
    expect((await app.api("GET", `/stats/flow_runs?since=${at(0)}&until=${at(-10)}`)).status).toBe(422);
  });
});
