import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACT_MAX_BYTES } from "@baton/core";
import { DATABASE_KINDS, newFlowRun, openTestApp, type TestApp } from "../../test/harness.js";
import { runAged } from "../../test/aged-runs.js";
import { cutoffFor, pruneAll } from "../retention/prune.js";

/** Artifacts (issue 15 part 6) through the API, on SQLite and PostgreSQL. */
describe.each(DATABASE_KINDS)("artifacts on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await openTestApp(kind);
  });
  afterAll(async () => app?.cleanup());

  const create = async (body: Record<string, unknown>) => {
    const answer = await app.api("POST", "/artifacts", body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  };

  it("stores each type, attached to its run, with the run's name in lists", async () => {
    const run = await newFlowRun(app, { name: "artifact-run" });
    const md = await create({ type: "markdown", data: "# Report\n\n*done*", flow_run_id: run.id, description: "the report" });
    expect(md).toMatchObject({ type: "markdown", key: null, data: "# Report\n\n*done*", flow_run_id: run.id, flow_run_name: "artifact-run", description: "the report" });
    await create({ type: "table", data: { columns: ["a"], rows: [{ a: 1 }] }, flow_run_id: run.id, task_run_id: "0190c0de-0000-7000-8000-000000000001" });
    await create({ type: "link", data: { url: "https://example.com/report", text: "report" }, flow_run_id: run.id });
    const listed = (await app.api("GET", `/artifacts?flow_run_id=${run.id}`)).body.items;
    expect(listed.map((a: { type: string }) => a.type)).toEqual(["link", "table", "markdown"]);
    expect((await app.api("GET", `/artifacts?task_run_id=0190c0de-0000-7000-8000-000000000001`)).body.items).toHaveLength(1);
    expect((await app.api("GET", `/artifacts/${md.id}`)).body.id).toBe(md.id);
  });

  it("keeps a key's versions; latest=true answers each key's newest only", async () => {
    const run = await newFlowRun(app);
    const first = await create({ type: "markdown", key: "daily-report", data: "v1", flow_run_id: run.id });
    const second = await create({ type: "markdown", key: "daily-report", data: "v2", flow_run_id: (await newFlowRun(app)).id });
    await create({ type: "progress", key: "load-progress", data: 10, flow_run_id: run.id });
    const versions = (await app.api("GET", "/artifacts?key=daily-report")).body.items;
    expect(versions.map((a: { id: string }) => a.id)).toEqual([second.id, first.id]);
    const latest = (await app.api("GET", "/artifacts?latest=true&limit=500")).body.items;
    expect(latest.filter((a: { key: string }) => a.key === "daily-report").map((a: { data: string }) => a.data)).toEqual(["v2"]);
    expect(latest.every((a: { key: string | null }) => a.key !== null)).toBe(true);
    // Pages follow the cursor.
    const page = (await app.api("GET", "/artifacts?key=daily-report&limit=1")).body;
    expect((await app.api("GET", `/artifacts?key=daily-report&limit=1&cursor=${page.next_cursor}`)).body.items[0].id).toBe(first.id);
  });

  it("updates a progress artifact's percentage; data of the wrong shape is a 422 naming the field", async () => {
    const run = await newFlowRun(app);
    const progress = await create({ type: "progress", data: 0, flow_run_id: run.id });
    expect((await app.api("PATCH", `/artifacts/${progress.id}`, { data: 55.5 })).body).toMatchObject({ data: 55.5 });
    const wrong = await app.api("PATCH", `/artifacts/${progress.id}`, { data: 150 });
    expect(wrong.status).toBe(422);
    expect(wrong.body.message).toContain("body.data: progress is a percentage from 0 to 100");
  });

  it("refuses bad input with the field and the fix: keys, javascript: links, unknown runs", async () => {
    const run = await newFlowRun(app);
    const badKey = await app.api("POST", "/artifacts", { type: "markdown", key: "Daily Report", data: "x", flow_run_id: run.id });
    expect(badKey.status).toBe(422);
    expect(JSON.stringify(badKey.body)).toContain("body.key");
    const script = await app.api("POST", "/artifacts", { type: "link", data: { url: "javascript:alert(1)" }, flow_run_id: run.id });
    expect(script.status).toBe(422);
    expect(JSON.stringify(script.body)).toContain("must start with http:// or https://");
    const noRun = await app.api("POST", "/artifacts", { type: "markdown", data: "x", flow_run_id: "0190c0de-0000-7000-8000-0000000000ff" });
    expect(noRun.status).toBe(404);
    expect(noRun.body.code).toBe("FlowRunNotFound");
  });

  it("answers 413 ArtifactTooLarge naming the limit for data over ARTIFACT_MAX_BYTES", async () => {
    const run = await newFlowRun(app);
    const big = await app.api("POST", "/artifacts", { type: "markdown", key: "huge", data: "x".repeat(ARTIFACT_MAX_BYTES), flow_run_id: run.id });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe("ArtifactTooLarge");
    expect(big.body.message).toContain(`markdown artifact "huge" is ${ARTIFACT_MAX_BYTES + 2} bytes of JSON; the limit is ${ARTIFACT_MAX_BYTES} bytes`);
  });

  it("goes with its run: deleting the run, or retention pruning it, deletes its artifacts", async () => {
    const run = await newFlowRun(app);
    const gone = await create({ type: "markdown", data: "x", flow_run_id: run.id });
    expect((await app.api("DELETE", `/flow_runs/${run.id}`)).status).toBe(204);
    expect((await app.api("GET", `/artifacts/${gone.id}`)).status).toBe(404);
    const old = await runAged(app, 40, "COMPLETED");
    const young = await runAged(app, 1, "COMPLETED");
    const pruned = await create({ type: "markdown", key: "aged", data: "old", flow_run_id: old });
    const kept = await create({ type: "markdown", key: "aged", data: "young", flow_run_id: young });
    await pruneAll(app.db, cutoffFor(30, new Date()));
    expect((await app.api("GET", `/artifacts/${pruned.id}`)).status).toBe(404);
    expect((await app.api("GET", "/artifacts?key=aged")).body.items.map((a: { id: string }) => a.id)).toEqual([kept.id]);
    expect((await app.api("DELETE", `/artifacts/${kept.id}`)).status).toBe(204);
    expect((await app.api("DELETE", `/artifacts/${kept.id}`)).body.code).toBe("ArtifactNotFound");
  });
});
