import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { deploy, runOf } from "../../test/dispatch-helpers.js";
import { notInStateTriggers } from "./not-in-state-trigger.js";

const later = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000);

/** "Not in state S within N after entering T", evaluated at chosen instants against a real database. */
describe.each(DATABASE_KINDS)("not_in_state_within on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(() => app?.cleanup());

  const firings = async (name: string) => (await app.api("GET", `/automation_firings?automation=${name}`)).body.items;
  const move = async (runId: string, ...types: string[]) => {
    const stamps: Date[] = [];
    for (const type of types) {
      const answer = await app.api("POST", `/flow_runs/${runId}/set_state`, { state: { type } });
      expect(answer.body.status).toBe("ACCEPT");
      stamps.push(new Date(answer.body.state.timestamp));
    }
    return stamps;
  };

  it("fires once per run that entered Pending and was not Running within the window, whatever else it did", async () => {
    const deployment = await deploy(app, { flow_name: "etl", name: "watched" });
    const created = await app.api("POST", "/automations", {
      name: "pending-too-long",
      trigger: { type: "not_in_state_within", after: ["PENDING"], expect: ["RUNNING"], seconds: 60, match: { deployments: ["etl/watched"] } },
      actions: [{ type: "cancel_run" }],
    });
    expect(created.status).toBe(201);
    const stuck = await runOf(app, deployment.id);
    const started = await runOf(app, deployment.id);
    const crashed = await runOf(app, deployment.id);
    const [pending] = await move(stuck.id, "PENDING");
    await move(started.id, "PENDING", "RUNNING");
    const [last] = (await move(crashed.id, "PENDING", "CRASHED")).slice(0, 1);

    // Half a minute after the first entry: nothing is due yet.
    expect(await notInStateTriggers(app.db, undefined, later(pending!, 30))).toBe(0);
    // Two replicas' passes at once, once every window has passed: the stuck run and the crashed one, once each.
    const both = await Promise.all([notInStateTriggers(app.db, undefined, later(last!, 61)), notInStateTriggers(app.db, undefined, later(last!, 61))]);
    expect(both[0] + both[1]).toBe(2);
    const fired = await firings("pending-too-long");
    expect(fired.map((f: { flow_run_id: string }) => f.flow_run_id).sort()).toEqual([stuck.id, crashed.id].sort());
    expect(fired[0]).toMatchObject({ event: "NOT_IN_STATE", status: "pending" });
    const facts = JSON.parse((await app.db.db.selectFrom("automation_firings").select("facts").where("flow_run_id", "=", stuck.id).executeTakeFirstOrThrow()).facts);
    expect(facts.state).toMatchObject({ type: "PENDING", message: expect.stringContaining("was not RUNNING within 60s") });

    // A new entry into Pending is a new event: the stuck run, sent back to Pending, fires again.
    const [again] = await move(stuck.id, "SCHEDULED", "PENDING").then((s) => s.slice(1));
    expect(await notInStateTriggers(app.db, undefined, later(again!, 61))).toBe(1);
    expect(await notInStateTriggers(app.db, undefined, later(again!, 600))).toBe(0);
    // How far it read is kept on the automation (a restarted server goes on from there): up to the
    // last pass's now - 60 s, less the 30 s read again in case a state committed late.
    const saved = await app.db.db.selectFrom("automations").select("trigger_cursor").where("name", "=", "pending-too-long").executeTakeFirstOrThrow();
    expect(JSON.parse(saved.trigger_cursor!).at.PENDING.timestamp).toBe(later(again!, 600 - 60 - 30).toISOString());
    expect(await firings("pending-too-long")).toHaveLength(3);
  });

  it("names the field of a state that is not one of the run state types", async () => {
    const bad = async (trigger: Record<string, unknown>) => app.api("POST", "/automations", { name: "bad", actions: [{ type: "cancel_run" }], trigger: { type: "not_in_state_within", seconds: 60, ...trigger } });
    const wrong = await bad({ after: ["PENDNG"], expect: ["RUNNING"] });
    expect(wrong.status).toBe(422);
    expect(wrong.body.message).toContain("body.trigger.after.0");
    expect(wrong.body.message).toContain("SCHEDULED, PENDING, RUNNING");
    const empty = await bad({ after: ["PENDING"], expect: [] });
    expect(empty.status).toBe(422);
    expect(empty.body.message).toContain("body.trigger.expect");
  });
});
