import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { stateFromCreate } from "./states.js";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { deploy, newPool, runOf } from "../../test/dispatch-helpers.js";
import { readFlowRunRow } from "../flow-runs/repository.js";
import { DISPATCH_CHANNEL } from "../wake-up/notifier.js";
import { StaleClaim } from "./rules.js";
import { travel, wakeClaimsWith } from "./road.js";

/** The road on a real database: what it writes, and what it does after the commit (and not after a rollback). */
describe.each(DATABASE_KINDS)("the state road on %s", (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
  });
  const setUp = async (runs: number) => {
    app = await openTestApp(kind);
    await newPool(app, "road");
    const deployment = await deploy(app, { name: "road", work_pool_name: "road" });
    const ids: string[] = [];
    for (let i = 0; i < runs; i++) ids.push((await runOf(app, deployment.id)).id);
    const woken: string[] = [];
    wakeClaimsWith(app.db, (pool) => woken.push(pool));
    return { app, ids, woken };
  };

  it("writes a batch in one go: each decision, its history row, the run's columns and dispatch columns", async () => {
    const { app, ids, woken } = await setUp(3);
    const now = new Date();
    const outcomes = await travel(app.db, async (road) => {
      const rows = await Promise.all(ids.map((id) => readFlowRunRow(road.trx, id)));
      return road.apply(
        rows.map((row, i) => ({ row, cause: "claim" as const, proposed: stateFromCreate({ type: "PENDING" }, now), dispatch: { worker_name: "w", lease_expiration: now.toISOString(), claim_id: `c${i}`, claim_key_id: null } })),
        now,
      );
    });
    expect(outcomes.map((o) => o.decision.status)).toEqual(["ACCEPT", "ACCEPT", "ACCEPT"]);
    for (const [i, id] of ids.entries()) {
      const row = await readFlowRunRow(app.db.db, id);
      expect(row).toMatchObject({ state_type: "PENDING", worker_name: "w", claim_id: `c${i}`, next_scheduled_time: null });
      const history = (await app.api("GET", `/flow_runs/${id}/states`)).body.items.map((s: { type: string }) => s.type);
      expect(history).toEqual(["SCHEDULED", "PENDING"]);
    }
    // Claiming takes slots, it frees none and makes nothing claimable.
    expect(woken).toEqual([]);
  });

  it("wakes the pool after the commit of a state that frees a slot, once per pool, and not after a rollback", async () => {
    const { app, ids, woken } = await setUp(2);
    const now = new Date();
    const claim = (id: string, i: number) =>
      travel(app.db, async (road) => road.one({ row: await readFlowRunRow(road.trx, id), cause: "claim", proposed: stateFromCreate({ type: "PENDING" }, now), dispatch: { claim_id: `c${i}` } }, now));
    await claim(ids[0]!, 0);
    await claim(ids[1]!, 1);
    const cancel = (fail: boolean) =>
      travel(app.db, async (road) => {
        const rows = await Promise.all(ids.map((id) => readFlowRunRow(road.trx, id)));
        await road.apply(rows.map((row) => ({ row, cause: "cancel" as const, proposed: stateFromCreate({ type: "CANCELLED" }, now) })), now);
        expect(woken).toEqual([]); // not before the commit
        if (fail) throw new Error("rolled back");
      });
    await expect(cancel(true)).rejects.toThrow("rolled back");
    expect(woken).toEqual([]);
    expect((await readFlowRunRow(app.db.db, ids[0]!)).state_type).toBe("PENDING");
    await cancel(false);
    expect(woken).toEqual(["road"]);
  });

  it("refuses a stale claim for the whole transaction: nothing of it is written", async () => {
    const { app, ids } = await setUp(1);
    const now = new Date();
    const attempt = travel(app.db, async (road) => {
      const row = await readFlowRunRow(road.trx, ids[0]!);
      await road.one({ row, cause: "claim", proposed: stateFromCreate({ type: "PENDING" }, now), dispatch: { claim_id: "c2" } }, now);
      const claimed = await readFlowRunRow(road.trx, ids[0]!);
      await road.one({ row: claimed, cause: "set-state", proposed: stateFromCreate({ type: "RUNNING" }, now), claimId: "c1" }, now);
    });
    await expect(attempt).rejects.toThrow(StaleClaim);
    expect((await readFlowRunRow(app.db.db, ids[0]!)).state_type).toBe("SCHEDULED");
  });

  it.runIf(kind === "postgresql")("tells the other replicas (NOTIFY) only when the change commits", async () => {
    const { app, ids } = await setUp(1);
    const listener = new pg.Client({ connectionString: app.database.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (m) => heard.push(m.payload ?? ""));
    await listener.query(`LISTEN ${DISPATCH_CHANNEL}`);
    try {
      const now = new Date();
      await travel(app.db, async (road) => road.one({ row: await readFlowRunRow(road.trx, ids[0]!), cause: "claim", proposed: stateFromCreate({ type: "PENDING" }, now), dispatch: { claim_id: "c" } }, now));
      const requeue = (fail: boolean) =>
        travel(app.db, async (road) => {
          await road.one({ row: await readFlowRunRow(road.trx, ids[0]!), cause: "lease-expiry", proposed: stateFromCreate({ type: "SCHEDULED" }, now) }, now);
          if (fail) throw new Error("rolled back");
        });
      await expect(requeue(true)).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 300));
      expect(heard).toEqual([]);
      await requeue(false);
      await expect.poll(() => heard, { timeout: 5000 }).toEqual(["road"]);
      expect((await readFlowRunRow(app.db.db, ids[0]!)).claim_id).toBeNull();
    } finally {
      await listener.end();
    }
  });
});
