import { afterEach, describe, expect, it } from "vitest";
import { DATABASE_KINDS, newFlowRun, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";
import { markLateRuns } from "../services/late-runs.js";
import { secretKeyProvider } from "../secrets/key.js";
import { backoffSeconds, fanOut, pruneDeliveries } from "./outbox.js";

const KEY = "0".repeat(64);

describe.each(DATABASE_KINDS)("the notification outbox on %s", (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
  });
  const open = async () => (app = await openTestApp(kind, { encryptionKey: KEY }));
  const outbox = () => app!.db.db.selectFrom("run_events").selectAll().execute();
  const rule = (body: Record<string, unknown>) => app!.api("POST", "/notification_rules", { target: { type: "webhook", url: "http://127.0.0.1:9/x" }, ...body });

  it("writes no outbox row while no rule is enabled, and one per watched state once one is", async () => {
    await open();
    const before = await newFlowRun(app!, { state: { type: "SCHEDULED", state_details: { scheduled_time: secondsFromNow(-60) } } });
    await app!.api("POST", `/flow_runs/${before.id}/cancel`);
    expect(await outbox()).toEqual([]);
    expect((await rule({ name: "late", states: ["LATE"], match: { flows: ["etl-flow"] } })).status).toBe(201);
    expect((await rule({ name: "other-flow", states: ["LATE"], match: { flows: ["nope"] } })).status).toBe(201);
    const late = await newFlowRun(app!, { state: { type: "SCHEDULED", state_details: { scheduled_time: secondsFromNow(-60) } } });
    expect(await markLateRuns(app!.db, { lateAfterSeconds: 15 })).toBe(1);
    expect((await outbox()).map((e) => [e.flow_run_id, e.event, e.state_name])).toEqual([[late.id, "LATE", "Late"]]);

    expect(await fanOut(app!.db, secretKeyProvider({ encryptionKey: KEY })(), "http://ui.example/", new Date())).toBe(1);
    expect(await outbox()).toEqual([]);
    const deliveries = (await app!.api("GET", `/notification_deliveries?flow_run_id=${late.id}`)).body.items;
    expect(deliveries).toMatchObject([{ rule_name: "late", event: "LATE", status: "pending", attempts: 0 }]);
    const payload = JSON.parse((await app!.db.db.selectFrom("notification_deliveries").select("payload").executeTakeFirstOrThrow()).payload);
    expect(payload).toMatchObject({ url: `http://ui.example/runs/${late.id}`, state: { type: "SCHEDULED", name: "Late" }, flow_run: { flow_name: "etl-flow" } });
  });

  it("the delivery log drops delivered and failed messages older than the cut-off, never a pending one", async () => {
    await open();
    const base = { event_id: "e", rule_id: null, rule_name: "r", target_type: "webhook", flow_run_id: null, event: "TEST", payload: "{}", attempts: 1, next_attempt_at: null, claimed_until: null, last_error: null, delivered_at: null };
    const old = "2020-01-01T00:00:00.000Z";
    await app!.db.db.insertInto("notification_deliveries").values([
      { ...base, id: "a", event_id: "a", status: "delivered", created: old },
      { ...base, id: "b", event_id: "b", status: "failed", created: old },
      { ...base, id: "c", event_id: "c", status: "pending", created: old },
      { ...base, id: "d", event_id: "d", status: "delivered", created: new Date().toISOString() },
    ]).execute();
    await pruneDeliveries(app!.db.db, new Date(Date.now() - 86_400_000));
    expect((await app!.db.db.selectFrom("notification_deliveries").select("id").orderBy("id").execute()).map((r) => r.id)).toEqual(["c", "d"]);
  });

  it("a disabled rule sends nothing; a rule's target secret is sealed in its row", async () => {
    await open();
    await rule({ name: "off", states: ["CANCELLED"], enabled: false, target: { type: "slack", url: "https://hooks.slack.example/T000/B000/sekrit" } });
    const row = await app!.db.db.selectFrom("notification_rules").selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain("sekrit");
    const run = await newFlowRun(app!, { state: { type: "SCHEDULED", state_details: { scheduled_time: secondsFromNow(60) } } });
    await app!.api("POST", `/flow_runs/${run.id}/cancel`);
    expect(await outbox()).toEqual([]);
    expect((await app!.api("PATCH", "/notification_rules/off", {})).body.message).toContain("body.enabled");
  });
});

it("backs off by doubling from the base, at most an hour", () => {
  expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 10))).toEqual([10, 20, 40, 80]);
  expect(backoffSeconds(30, 10)).toBe(3600);
});
