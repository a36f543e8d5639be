import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { deploy, newPool } from "../../test/dispatch-helpers.js";

describe.each(DATABASE_KINDS)("one schedule of a deployment at a time, on %s", (kind) => {
  let app: TestApp;
  const scheduledRunsOf = async (deploymentId: string) =>
    ((await app.api("GET", `/flow_runs?deployment_id=${deploymentId}&limit=500&state=SCHEDULED`)).body.items as { idempotency_key: string | null; expected_start_time: string }[]);
  /** The scheduler keys a run `scheduled:<schedule id>:<time>` (services/schedule-writes.ts). */
  const of = (scheduleId: string) => (run: { idempotency_key: string | null }) => run.idempotency_key?.startsWith(`scheduled:${scheduleId}:`) === true;

  beforeAll(async () => {
    app = await openTestApp(kind);
    await newPool(app, "pool");
  });
  afterAll(() => app.cleanup());

  it("adds a schedule whose runs are made at once; pausing it removes them, resuming makes them again, deleting removes it and them", async () => {
    const deployment = await deploy(app, { name: "one-by-one", work_pool_name: "pool", schedules: [{ interval: 86400 }] });
    const daily = deployment.schedules[0].id as string;
    const before = (await scheduledRunsOf(deployment.id)).length;
    expect(before).toBeGreaterThan(0);

    const added = await app.api("POST", `/deployments/${deployment.id}/schedules`, { cron: "0 9 * * 1-5", timezone: "Europe/Paris" });
    expect(added.status).toBe(201);
    expect(added.body.schedules).toHaveLength(2);
    expect(added.body.schedules[1]).toEqual({ id: expect.any(String), schedule: { cron: "0 9 * * 1-5", timezone: "Europe/Paris" }, active: true, parameters: {} });
    const weekdays = added.body.schedules[1].id as string;
    const withBoth = await scheduledRunsOf(deployment.id);
    expect(withBoth.length).toBeGreaterThan(before);

    const paused = await app.api("PATCH", `/deployments/${deployment.id}/schedules/${weekdays}`, { active: false });
    expect(paused.status).toBe(200);
    expect(paused.body.schedules.map((s: { active: boolean }) => s.active)).toEqual([true, false]);
    expect((await scheduledRunsOf(deployment.id)).length).toBe(before);

    const resumed = await app.api("PATCH", `/deployments/${deployment.id}/schedules/${weekdays}`, { active: true });
    expect(resumed.body.schedules[1].active).toBe(true);
    expect((await scheduledRunsOf(deployment.id)).length).toBe(withBoth.length);

    const removed = await app.api("DELETE", `/deployments/${deployment.id}/schedules/${daily}`);
    expect(removed.status).toBe(200);
    expect(removed.body.schedules.map((s: { id: string }) => s.id)).toEqual([weekdays]);
    expect((await scheduledRunsOf(deployment.id)).length).toBe(withBoth.length - before);
  });

  it("refuses a bad schedule naming the field, and a schedule of another deployment with a 404 naming both", async () => {
    const deployment = await deploy(app, { name: "refusals", work_pool_name: "pool" });
    const bad = await app.api("POST", `/deployments/${deployment.id}/schedules`, { rrule: "FREQ=SOMETIMES", timezone: "Mars/Olympus" });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain("body.rrule");
    expect(bad.body.message).toContain("body.timezone");
    const other = await deploy(app, { name: "other", work_pool_name: "pool", schedules: [{ interval: 3600 }] });
    const foreign = await app.api("DELETE", `/deployments/${deployment.id}/schedules/${other.schedules[0].id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe("DeploymentScheduleNotFound");
    // The hint is the command that lists the schedules, as every NotFound's is, never an API path.
    expect(foreign.body.message).toBe(
      `DeploymentScheduleNotFound: deployment '${deployment.flow_name}/refusals' has no schedule "${other.schedules[0].id}"; list its schedules with baton deployment schedule ls ${deployment.flow_name}/refusals`,
    );
    expect((await app.api("GET", `/deployments/${other.id}`)).body.schedules).toHaveLength(1);
  });

  it("edits a schedule's expression in place: the old expression's future runs go, the new one's are made at once, its id and switch kept", async () => {
    const deployment = await deploy(app, { name: "edited", work_pool_name: "pool", schedules: [{ interval: 3600 }, { interval: 86400 }] });
    const [hourly, daily] = deployment.schedules.map((s: { id: string }) => s.id) as [string, string];
    const dailyRuns = (await scheduledRunsOf(deployment.id)).filter(of(daily)).map((r) => r.expected_start_time);
    expect((await scheduledRunsOf(deployment.id)).some(of(hourly))).toBe(true);

    const edited = await app.api("PATCH", `/deployments/${deployment.id}/schedules/${hourly}`, { schedule: { cron: "15 9 * * 1-5", timezone: "Europe/Paris" } });
    expect(edited.status).toBe(200);
    expect(edited.body.schedules[0]).toEqual({ id: hourly, schedule: { cron: "15 9 * * 1-5", timezone: "Europe/Paris" }, active: true, parameters: {} });
    const after = await scheduledRunsOf(deployment.id);
    const mine = after.filter(of(hourly));
    expect(mine.length).toBeGreaterThan(0);
    // Every run of the edited schedule is now at 09:15 in Paris on a weekday: none of the hourly ones is left.
    for (const run of mine) {
      const wall = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(run.expected_start_time));
      expect(wall).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:15$/);
    }
    expect(after.filter(of(daily)).map((r) => r.expected_start_time)).toEqual(dailyRuns);

    // A paused schedule edited stays paused and has no runs; resumed with a new expression in one request, it fills.
    await app.api("PATCH", `/deployments/${deployment.id}/schedules/${daily}`, { active: false });
    const still = await app.api("PATCH", `/deployments/${deployment.id}/schedules/${daily}`, { schedule: { interval: 7200 } });
    expect(still.body.schedules[1]).toMatchObject({ active: false, schedule: { interval: 7200, timezone: "UTC" } });
    expect((await scheduledRunsOf(deployment.id)).some(of(daily))).toBe(false);
    const both = await app.api("PATCH", `/deployments/${deployment.id}/schedules/${daily}`, { active: true, schedule: { rrule: "FREQ=DAILY;BYHOUR=6;BYMINUTE=0;BYSECOND=0", timezone: "UTC" } });
    expect(both.body.schedules[1].active).toBe(true);
    const rruleRuns = (await scheduledRunsOf(deployment.id)).filter(of(daily));
    expect(rruleRuns.length).toBeGreaterThan(0);
    expect(rruleRuns.every((r) => r.expected_start_time.slice(11, 19) === "06:00:00")).toBe(true);
  });

  it("refuses an edit that changes nothing or a bad expression with a 422 naming the field, and leaves the schedule as it was", async () => {
    const deployment = await deploy(app, { name: "bad-edits", work_pool_name: "pool", schedules: [{ interval: 3600 }] });
    const id = deployment.schedules[0].id as string;
    const empty = await app.api("PATCH", `/deployments/${deployment.id}/schedules/${id}`, {});
    expect(empty.status).toBe(422);
    expect(empty.body.message).toContain("body.active");
    const bad = await app.api("PATCH", `/deployments/${deployment.id}/schedules/${id}`, { schedule: { cron: "61 * * * *", timezone: "Mars/Olympus" } });
    expect(bad.status).toBe(422);
    expect(bad.body.message).toContain("body.schedule.cron");
    expect(bad.body.message).toContain("body.schedule.timezone");
    const two = await app.api("PATCH", `/deployments/${deployment.id}/schedules/${id}`, { schedule: { cron: "0 * * * *", interval: 60 } });
    expect(two.status).toBe(422);
    expect(two.body.message).toContain("not cron and interval");
    expect((await app.api("GET", `/deployments/${deployment.id}`)).body.schedules[0].schedule).toEqual({ interval: 3600, timezone: "UTC" });
  });

  it("checks a new schedule's parameters against the deployment's schema, as a run's; with enforce_parameter_schema off it does not", async () => {
    const schema = { type: "object", properties: { limit: { type: "integer" } }, additionalProperties: false };
    const typed = await deploy(app, { name: "typed", work_pool_name: "pool", parameter_schema: schema });
    const wrong = await app.api("POST", `/deployments/${typed.id}/schedules`, { interval: 3600, parameters: { limit: "many" } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe("ParameterValidationError");
    expect(wrong.body.message).toContain("body.parameters.limit");
    expect((await app.api("GET", `/deployments/${typed.id}`)).body.schedules).toHaveLength(0);
    const right = await app.api("POST", `/deployments/${typed.id}/schedules`, { interval: 3600, parameters: { limit: 5 } });
    expect(right.status, JSON.stringify(right.body)).toBe(201);
    const loose = await deploy(app, { name: "loose", work_pool_name: "pool", parameter_schema: schema, enforce_parameter_schema: false });
    expect((await app.api("POST", `/deployments/${loose.id}/schedules`, { interval: 3600, parameters: { limit: "many" } })).status).toBe(201);
  });
  it("checks every schedule's parameters of a deploy (create and update) against the schema the same way, naming the schedule and the fix", async () => {
    const schema = { type: "object", properties: { limit: { type: "integer" }, source: { type: "string" } }, required: ["source"], additionalProperties: false };
    const body = { flow_name: "etl", name: "whole", entrypoint: "flows/etl.ts:etl", work_pool_name: "pool", parameters: { source: "s3" }, parameter_schema: schema };
    const bad = [{ interval: 3600 }, { interval: 7200, parameters: { limit: "many", sourc: "x" } }];
    const created = await app.api("POST", "/deployments", { ...body, schedules: bad });
    expect(created.status).toBe(422);
    expect(created.body.code).toBe("ParameterValidationError");
    expect(created.body.issues).toHaveLength(2);
    expect(created.body.issues).toEqual(
      expect.arrayContaining([
        { path: "body.schedules[1].parameters.sourc", message: '"sourc" is not a parameter of this flow; the parameters are limit, source' },
        { path: "body.schedules[1].parameters.limit", message: "must be integer" },
      ]),
    );
    expect(created.body.message).toContain("body.schedules[1].parameters.limit: must be integer");
    expect(created.body.message).toContain("enforce_parameter_schema: false");
    expect((await app.api("GET", "/deployments/name/etl/whole")).status).toBe(404);

    const good = await deploy(app, { ...body, schedules: [{ interval: 3600, parameters: { limit: 5 } }] });
    // An update is checked too, and a required parameter the deployment's own leave out counts against the schedule.
    const updated = await app.api("POST", "/deployments", { ...body, parameters: {}, schedules: [{ interval: 3600, parameters: { limit: 5 } }] });
    expect(updated.status).toBe(422);
    expect(updated.body.issues).toEqual([{ path: "body.schedules[0].parameters.source", message: 'parameter "source" is required' }]);
    const kept = (await app.api("GET", `/deployments/${good.id}`)).body;
    expect(kept.parameters).toEqual({ source: "s3" });
    expect(kept.schedules.map((s: { parameters: unknown }) => s.parameters)).toEqual([{ limit: 5 }]);

    const loose = await app.api("POST", "/deployments", { ...body, name: "loose-whole", enforce_parameter_schema: false, schedules: bad });
    expect(loose.status, JSON.stringify(loose.body)).toBe(200);
  });
});
