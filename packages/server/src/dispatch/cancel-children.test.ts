import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, newFlowRun, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";
import { claim, deploy, newPool, runOf } from "../../test/dispatch-helpers.js";

/** Cancelling a run cancels the runs it started (runDeployment's children, subflows), whoever cancels it. */
describe.each(DATABASE_KINDS)("cancelling a parent run cancels its children on %s", (kind) => {
  let app: TestApp;
  let deploymentId: string;
  beforeAll(async () => {
    app = await openTestApp(kind);
    await newPool(app, "children");
    deploymentId = (await deploy(app, { name: "children", work_pool_name: "children" })).id;
  });
  afterAll(() => app.cleanup());
  const stateOf = async (id: string) => (await app.api("GET", `/flow_runs/${id}`)).body;

  it("a running child in its own process goes CANCELLING, the others CANCELLED, down the tree; cancel_with_parent false and ended children are left", async () => {
    const parent = await newFlowRun(app, { state: { type: "RUNNING" } });
    const running = await runOf(app, deploymentId, { parent_flow_run_id: parent.id });
    expect((await claim(app, "children")).map((c) => c.flow_run.id)).toEqual([running.id]);
    await app.api("POST", `/flow_runs/${running.id}/set_state`, { state: { type: "RUNNING" } });
    const scheduled = await runOf(app, deploymentId, { parent_flow_run_id: parent.id, scheduled_time: secondsFromNow(3600) });
    const left = await runOf(app, deploymentId, { parent_flow_run_id: parent.id, scheduled_time: secondsFromNow(3600), cancel_with_parent: false });
    expect(left.cancel_with_parent).toBe(false);
    expect(scheduled.cancel_with_parent).toBe(true);
    const ended = await newFlowRun(app, { parent_flow_run_id: parent.id, state: { type: "COMPLETED" } });
    // A subflow runs in its parent's process: CANCELLED at once; a run it started follows it.
    const subflow = await newFlowRun(app, { parent_flow_run_id: parent.id, state: { type: "RUNNING" } });
    const grandchild = await runOf(app, deploymentId, { parent_flow_run_id: subflow.id, scheduled_time: secondsFromNow(3600) });
    const unrelated = await runOf(app, deploymentId, { scheduled_time: secondsFromNow(3600) });

    expect((await app.api("POST", `/flow_runs/${parent.id}/cancel`)).body).toMatchObject({ status: "ACCEPT", state: { type: "CANCELLING" } });
    expect(await stateOf(running.id)).toMatchObject({ state_type: "CANCELLING", state: { message: `its parent flow run ${parent.id} was cancelled; the worker is ending the run's process` } });
    expect(await stateOf(scheduled.id)).toMatchObject({ state_type: "CANCELLED", state: { message: `cancelled with its parent flow run ${parent.id} (it was Scheduled)` } });
    expect((await stateOf(subflow.id)).state_type).toBe("CANCELLED");
    expect(await stateOf(grandchild.id)).toMatchObject({ state_type: "CANCELLED", state: { message: `cancelled with its parent flow run ${subflow.id} (it was Scheduled)` } });
    expect((await stateOf(left.id)).state_type).toBe("SCHEDULED");
    expect((await stateOf(ended.id)).state_type).toBe("COMPLETED");
    expect((await stateOf(unrelated.id)).state_type).toBe("SCHEDULED");
    // The CANCELLING child's process sees it in its heartbeat answer, as for a cancel of its own.
    expect((await app.api("POST", `/flow_runs/${running.id}/heartbeat`)).body.state_type).toBe("CANCELLING");
  });

  it("holds for a cancel that is not the cancel route: a CANCELLED state set on the parent", async () => {
    const parent = await newFlowRun(app, { state: { type: "RUNNING" } });
    const child = await runOf(app, deploymentId, { parent_flow_run_id: parent.id, scheduled_time: secondsFromNow(3600) });
    expect((await app.api("POST", `/flow_runs/${parent.id}/set_state`, { state: { type: "CANCELLED" }, force: true })).body.status).toBe("ACCEPT");
    expect((await stateOf(child.id)).state_type).toBe("CANCELLED");
  });

  it("refuses cancel_with_parent without a parent, naming the field", async () => {
    const answer = await app.api("POST", `/deployments/${deploymentId}/runs`, { cancel_with_parent: false });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toContain("body.cancel_with_parent");
  });
});
