import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type BatonApp } from "../index.js";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Global concurrency and rate limits (issue 16 part 3) through the API, on SQLite and PostgreSQL. */
describe.each(DATABASE_KINDS)("global concurrency limits on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(async () => app?.cleanup());

  const acquire = async (body: Record<string, unknown>) => {
    const answer = await app.api("POST", "/concurrency_limits/acquire", body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };

  it("creates, lists, reads, updates and deletes a limit; bad input is a 422 naming the field; a duplicate is a 409", async () => {
    const created = await app.api("POST", "/concurrency_limits", { name: "warehouse", limit: 2 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "warehouse", limit: 2, active: true, slot_decay_per_second: 0, active_slots: 0 });
    expect((await app.api("POST", "/concurrency_limits", { name: "warehouse", limit: 3 })).status).toBe(409);
    const bad = await app.api("POST", "/concurrency_limits", { name: "bad name", limit: -1 });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("body.limit");
    expect(JSON.stringify(bad.body)).toContain("body.name");
    expect((await app.api("PATCH", "/concurrency_limits/warehouse", { limit: 1 })).body).toMatchObject({ limit: 1 });
    expect((await app.api("GET", "/concurrency_limits")).body.items.map((l: { name: string }) => l.name)).toContain("warehouse");
    await app.api("POST", "/concurrency_limits", { name: "doomed", limit: 1 });
    expect((await app.api("DELETE", "/concurrency_limits/doomed")).status).toBe(204);
    const gone = await app.api("GET", "/concurrency_limits/doomed");
    expect(gone.status).toBe(404);
    expect(gone.body.message).toContain("baton concurrency-limit create doomed --limit N");
  });

  it("grants slots up to the limit, refuses the next with the full limit's name, and grants again once released", async () => {
    await app.api("POST", "/concurrency_limits", { name: "db", limit: 2 });
    const run = await newFlowRun(app);
    const first = await acquire({ names: ["db"], flow_run_id: run.id });
    const second = await acquire({ names: ["db"] });
    expect(first.acquired && second.acquired).toBe(true);
    const third = await acquire({ names: ["db"], flow_run_id: (await newFlowRun(app, { name: "waiting-run" })).id });
    expect(third).toMatchObject({ acquired: false, blocked_by: "db" });
    expect(third.retry_after_seconds).toBeGreaterThan(0);
    expect((await app.api("GET", "/concurrency_limits/db")).body.active_slots).toBe(2);
    expect((await app.api("DELETE", `/concurrency_leases/${first.lease_id}`)).status).toBe(204);
    expect((await acquire({ names: ["db"] })).acquired).toBe(true);
    // All or none: a second, full limit keeps the first's slots free.
    await app.api("POST", "/concurrency_limits", { name: "api", limit: 5 });
    expect(await acquire({ names: ["api", "db"] })).toMatchObject({ acquired: false, blocked_by: "db" });
    expect((await app.api("GET", "/concurrency_limits/api")).body.active_slots).toBe(0);
    // More than the limit can ever give, and unknown names, are refused with the fix.
    const tooMany = await app.api("POST", "/concurrency_limits/acquire", { names: ["api"], slots: 6 });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.message).toContain("baton concurrency-limit update api --limit 6");
    const unknown = await app.api("POST", "/concurrency_limits/acquire", { names: ["nope"] });
    expect(unknown.status).toBe(404);
    expect((await acquire({ names: ["tag:nope"], ignore_missing: true })).acquired).toBe(true);
  });

  it("a lease that is not renewed ends, and its slots come back (a crashed run's); a renewed one holds", async () => {
    await app.api("POST", "/concurrency_limits", { name: "leased", limit: 1 });
    const crashed = await acquire({ names: ["leased"], lease_seconds: 1 });
    expect((await acquire({ names: ["leased"] })).acquired).toBe(false);
    await sleep(1200);
    const next = await acquire({ names: ["leased"], lease_seconds: 1 });
    expect(next.acquired).toBe(true);
    const gone = await app.api("POST", `/concurrency_leases/${crashed.lease_id}/renew`, { lease_seconds: 30 });
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe("ConcurrencyLeaseGone");
    expect((await app.api("POST", `/concurrency_leases/${next.lease_id}/renew`, { lease_seconds: 30 })).status).toBe(200);
    await sleep(1200);
    expect((await acquire({ names: ["leased"] })).acquired).toBe(false);
  });

  it("rate limits: slots taken decay at slot_decay_per_second; a limit without decay refuses rateLimit", async () => {
    await app.api("POST", "/concurrency_limits", { name: "crm-api", limit: 2, slot_decay_per_second: 4 });
    expect((await acquire({ names: ["crm-api"], mode: "rate_limit" })).acquired).toBe(true);
    expect((await acquire({ names: ["crm-api"], mode: "rate_limit" })).acquired).toBe(true);
    const refused = await acquire({ names: ["crm-api"], mode: "rate_limit" });
    expect(refused.acquired).toBe(false);
    expect(refused.retry_after_seconds).toBeLessThanOrEqual(0.25 + 0.001);
    await sleep(300);
    expect((await acquire({ names: ["crm-api"], mode: "rate_limit" })).acquired).toBe(true);
    const noDecay = await app.api("POST", "/concurrency_limits/acquire", { names: ["warehouse"], mode: "rate_limit" });
    expect(noDecay.status).toBe(422);
    expect(noDecay.body.message).toContain("--slot-decay-per-second");
  });

  it("flow-run why says which limit a running run waits on, and who holds it", async () => {
    await app.api("POST", "/concurrency_limits", { name: "why-limit", limit: 1 });
    const holder = await newFlowRun(app, { name: "holding-run" });
    const waiter = await newFlowRun(app, { name: "waiting-run" });
    await app.api("POST", `/flow_runs/${waiter.id}/set_state`, { state: { type: "RUNNING" } });
    await acquire({ names: ["why-limit"], flow_run_id: holder.id });
    await acquire({ names: ["why-limit"], flow_run_id: waiter.id });
    const why = (await app.api("GET", `/flow_runs/${waiter.id}/why`)).body;
    expect(why.reasons[0]).toMatchObject({ code: "CONCURRENCY_LIMIT_WAIT", holders: [{ id: holder.id, name: "holding-run" }] });
    expect(why.reasons[0].message).toContain('a slot of concurrency limit "why-limit": 1 of 1 slots in use, held by holding-run');
  });
});

describe("two server replicas on one PostgreSQL database", () => {
  let app: TestApp;
  let second: BatonApp;
  beforeAll(async () => {
    app = await openTestApp("postgresql");
    second = await createApp({ databaseUrl: app.database.url, logLevel: "silent", services: false, auth: { enabled: false } });
  });
  afterAll(async () => {
    await second?.close();
    await app?.cleanup();
  });

  it("never grant the same slot twice: 40 concurrent asks for a limit of 3, split between the replicas, get exactly 3", async () => {
    await app.api("POST", "/concurrency_limits", { name: "shared", limit: 3 });
    const ask = (replica: BatonApp) => replica.app.inject({ method: "POST", url: "/api/concurrency_limits/acquire", payload: { names: ["shared"] } }).then((r) => r.json());
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(i % 2 === 0 ? app : second)));
    expect(answers.filter((a) => a.acquired)).toHaveLength(3);
    // What one replica released, the other grants.
    const lease = answers.find((a) => a.acquired).lease_id;
    await second.app.inject({ method: "DELETE", url: `/api/concurrency_leases/${lease}` });
    expect((await ask(app)).acquired).toBe(true);
    expect((await ask(second)).acquired).toBe(false);
  });
});
