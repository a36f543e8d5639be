import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { claim, deploy, newPool, runOf } from "../../test/dispatch-helpers.js";
import { expireLeases } from "./leases.js";

describe.each(DATABASE_KINDS)("claim leases on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app.cleanup());

  it("puts a claimed run that was not started before its lease ended back in the queue", async () => {
    await newPool(app, "lease");
    const deployment = await deploy(app, { name: "lease", work_pool_name: "lease" });
    const run = await runOf(app, deployment.id);
    const [claimed] = await claim(app, "lease", { worker_name: "dead-worker", lease_seconds: 30 });
    expect(claimed.flow_run.state_type).toBe("PENDING");
    // Not yet expired: nothing moves.
    expect(await expireLeases(app.db, new Date())).toEqual([]);
    expect(await expireLeases(app.db, new Date(Date.now() + 31_000))).toEqual(["lease"]);
    const back = (await app.api("GET", `/flow_runs/${run.id}`)).body;
    expect(back).toMatchObject({ state_type: "SCHEDULED", state_name: "Scheduled" });
    expect(back.state.message).toContain('worker "dead-worker"');
    expect(back.state.message).toContain("did not start it before its lease ended");
    const [again] = await claim(app, "lease", { worker_name: "live-worker" });
    expect(again.flow_run).toMatchObject({ id: run.id, worker_name: "live-worker", state_type: "PENDING" });
    const history = (await app.api("GET", `/flow_runs/${run.id}/states`)).body.items.map((s: { type: string }) => s.type);
    // (Sorted: the requeue was stamped with the test's clock, 31 s ahead.)
    expect(history.sort()).toEqual(["PENDING", "PENDING", "SCHEDULED", "SCHEDULED"]);
  });

  it("a started run keeps its worker: the lease no longer applies", async () => {
    await newPool(app, "started");
    const deployment = await deploy(app, { name: "started", work_pool_name: "started" });
    const run = await runOf(app, deployment.id);
    await claim(app, "started", { lease_seconds: 5 });
    await app.api("POST", `/flow_runs/${run.id}/set_state`, { state: { type: "RUNNING" } });
    expect(await expireLeases(app.db, new Date(Date.now() + 60_000))).not.toContain("started");
    expect((await app.api("GET", `/flow_runs/${run.id}`)).body.state_type).toBe("RUNNING");
  });

  it("a heartbeat while the run is still Pending renews its lease for the claim's length; a lost lease stays lost", async () => {
    await newPool(app, "slow-start");
    const deployment = await deploy(app, { name: "slow-start", work_pool_name: "slow-start" });
    const run = await runOf(app, deployment.id);
    await claim(app, "slow-start", { worker_name: "cloning-worker", lease_seconds: 10 });
    // The lease is the server's own business (not in the API): read the row.
    const lease = async () => (await app.db.db.selectFrom("flow_runs").select("lease_expiration").where("id", "=", run.id).executeTakeFirstOrThrow()).lease_expiration!;
    const first = Date.parse(await lease());
    await new Promise((r) => setTimeout(r, 1100));
    const beat = await app.api("POST", `/flow_runs/${run.id}/heartbeat`);
    expect(beat.body).toMatchObject({ state_type: "PENDING" });
    const renewed = Date.parse(await lease());
    // Ten seconds from the heartbeat, not from the claim.
    expect(renewed).toBeGreaterThanOrEqual(first + 1000);
    expect(renewed - Date.now()).toBeLessThanOrEqual(10_000);
    expect(await expireLeases(app.db, new Date(first + 500))).toEqual([]);
    expect((await app.api("GET", `/flow_runs/${run.id}`)).body.state_type).toBe("PENDING");

    // Past the renewed end the run goes back; a late heartbeat does not take it again.
    expect(await expireLeases(app.db, new Date(renewed + 1000))).toEqual(["slow-start"]);
    await app.api("POST", `/flow_runs/${run.id}/heartbeat`);
    const back = (await app.api("GET", `/flow_runs/${run.id}`)).body;
    expect(back.state_type).toBe("SCHEDULED");
    expect(Date.parse(await lease())).toBe(renewed);
  });
});
