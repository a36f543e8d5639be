import { afterEach, describe, expect, it } from "vitest";
import type { FastifyBaseLogger } from "fastify";
import { openDatabase, type BatonDatabase } from "../db/open.js";
import { openSqliteConnection } from "../db/sqlite-connection.js";
import { EventBus } from "../events/bus.js";
import { captureEvents } from "../events/capture.js";
import type { FlowRunEvent } from "../events/types.js";
import { openTestApp, type TestApp } from "../../test/harness.js";
import { deploy, newPool } from "../../test/dispatch-helpers.js";
import { schedulerRunner } from "./scheduler-runner.js";

/** A logger that keeps its warnings. */
const warnings = () => {
  const lines: string[] = [];
  const log = { warn: (...args: unknown[]) => lines.push(args.map((a) => (typeof a === "string" ? a : String((a as { err?: unknown }).err))).join(" ")) } as unknown as FastifyBaseLogger;
  return { log, lines };
};

describe("the scheduler's thread (SQLite)", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** An app (no services) with `count` paused deployments of one every-minute schedule each, then unpaused by SQL (their schedules due now). */
  const withDueSchedules = async (count: number) => {
    const app: TestApp = await openTestApp("sqlite");
    cleanups.push(() => app.cleanup());
    await newPool(app, "threaded");
    for (let i = 0; i < count; i++) await deploy(app, { name: `d-${i}`, work_pool_name: "threaded", paused: true, schedules: [{ cron: "* * * * *" }] });
    await app.db.db.updateTable("deployments").set({ paused: 0 }).execute();
    return app;
  };

  /** A second handle on the app's file with a bus of its own, as the server has. */
  const serverSide = async (app: TestApp): Promise<{ database: ReturnType<typeof captureEvents>; bus: EventBus }> => {
    const bus = new EventBus();
    const database = captureEvents(await openDatabase(app.database.url, { migrate: false }), bus);
    cleanups.push(() => database.close());
    return { database, bus };
  };

  it("fills on its own connection while the server's thread is blocked, then wakes the pool and publishes the runs' states here", async () => {
    const app = await withDueSchedules(3);
    const { database, bus } = await serverSide(app);
    const events: FlowRunEvent[] = [];
    bus.subscribe("flow_run", (event) => events.push(event));
    const woken: (string | null)[] = [];
    const runner = schedulerRunner(database, warnings().log, { onRuns: (pool) => woken.push(pool), commits: database.commits }, 0);
    cleanups.push(() => runner.stop());

    // One instant for every pass: a minute turning in between would make each schedule's next run due.
    const now = new Date();
    expect(await runner.pass(now)).toBe(180);
    expect(woken).toContain("threaded");
    await expect.poll(() => events.length).toBe(180);
    expect(new Set(events.map((e) => e.state_type))).toEqual(new Set(["SCHEDULED"]));
    expect(events[0]).toMatchObject({ work_pool_name: "threaded" });
    // The next pass finds nothing due: the horizons moved.
    expect(await runner.pass(now)).toBe(0);

    // Two more deployments; this thread then never yields until their runs are there: only the scheduler's thread can have made them.
    for (const name of ["late-1", "late-2"]) await deploy(app, { name, work_pool_name: "threaded", paused: true, schedules: [{ cron: "* * * * *" }] });
    await app.db.db.updateTable("deployments").set({ paused: 0 }).where("paused", "=", 1).execute();
    const pass = runner.pass(now);
    const reader = openSqliteConnection(database.sqliteFile!);
    const count = () => Number((reader.prepare("select count(*) as n from flow_runs").all()[0] as { n: number }).n);
    const giveUpAt = Date.now() + 30_000;
    while (count() < 300 && Date.now() < giveUpAt) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    const seenWhileBlocked = count();
    reader.close();
    expect(seenWhileBlocked).toBe(300);
    expect(await pass).toBe(120);
  });

  it("stays on the server's thread below its threshold, and falls back there when the thread cannot start", async () => {
    // A file the thread cannot open (its folder is a file): starting it fails, and the pass runs here instead.
    const unopenable = async () => ({ ...(await serverSide(await withDueSchedules(2))).database, sqliteFile: "/etc/hostname/baton.db" });
    const below = warnings();
    const few = schedulerRunner(await unopenable(), below.log, { onRuns: () => undefined }, 3);
    cleanups.push(() => few.stop());
    expect(await few.pass(new Date())).toBe(120);
    expect(below.lines).toEqual([]); // 2 due, under 3: no thread was tried

    const dead = warnings();
    const eager = schedulerRunner(await unopenable(), dead.log, { onRuns: () => undefined }, 2);
    cleanups.push(() => eager.stop());
    const at = new Date();
    expect(await eager.pass(at)).toBe(120);
    expect(dead.lines.join("\n")).toContain("the scheduler's thread died");
    expect(await eager.pass(at)).toBe(0);
  });
});
