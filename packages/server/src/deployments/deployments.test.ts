import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, secondsFromNow, type TestApp } from "../../test/harness.js";
import { deploy, newPool, runOf } from "../../test/dispatch-helpers.js";

const parameterSchema = {
  type: "object",
  properties: { limit: { type: "integer" }, source: { type: "string" } },
  required: ["source"],
  additionalProperties: false,
};

describe.each(DATABASE_KINDS)("deployments on %s", (kind) => {
  let app: TestApp;
  const runsOf = async (deploymentId: string) => (await app.api("GET", `/flow_runs?deployment_id=${deploymentId}&limit=500&sort=created_asc`)).body.items as any[];
  const scheduledRunsOf = async (deploymentId: string) => (await runsOf(deploymentId)).filter((r) => r.state_type === "SCHEDULED");

  beforeAll(async () => {
    app = await openTestApp(kind);
    await newPool(app, "pool");
  });
  afterAll(() => app.cleanup());

  it("creates, then answers 'unchanged' and writes nothing for the same body", async () => {
    const body = { flow_name: "etl", name: "same", entrypoint: "flows/etl.ts:etl", work_pool_name: "pool", parameters: { source: "s3" }, tags: ["a"], schedules: [{ interval: 3600 }] };
    const first = await app.api("POST", "/deployments", body);
    expect(first.status).toBe(200);
    expect(first.body.outcome).toBe("created");
    expect(first.body.deployment).toMatchObject({ flow_name: "etl", name: "same", work_pool_name: "pool", parameters: { source: "s3" }, paused: false, enforce_parameter_schema: true });
    expect(first.body.deployment.schedules).toEqual([{ id: expect.any(String), schedule: { interval: 3600, timezone: "UTC" }, active: true, parameters: {} }]);
    const runs = await runsOf(first.body.deployment.id);
    const second = await app.api("POST", "/deployments", body);
    expect(second.body).toEqual({ outcome: "unchanged", deployment: first.body.deployment });
    expect(await runsOf(first.body.deployment.id)).toEqual(runs);
    const changed = await app.api("POST", "/deployments", { ...body, description: "now described" });
    expect(changed.body.outcome).toBe("updated");
    expect(changed.body.deployment.id).toBe(first.body.deployment.id);
    expect(changed.body.deployment.schedules[0].id).toBe(first.body.deployment.schedules[0].id);
  });

  it("reads by id and by flow/name, lists, and deletes with the runs that have not started", async () => {
    const deployment = await deploy(app, { name: "readme", work_pool_name: "pool", tags: ["nightly"] });
    expect((await app.api("GET", `/deployments/${deployment.id}`)).body).toEqual(deployment);
    expect((await app.api("GET", "/deployments/name/etl/readme")).body).toEqual(deployment);
    const missing = await app.api("GET", "/deployments/name/etl/nope");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain('"etl/nope"');
    expect(missing.body.message).toContain("baton deploy");
    const listed = await app.api("GET", "/deployments?tag=nightly");
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([deployment.id]);
    const run = await runOf(app, deployment.id, { scheduled_time: secondsFromNow(3600) });
    expect((await app.api("DELETE", `/deployments/${deployment.id}`)).status).toBe(204);
    expect((await app.api("GET", `/deployments/${deployment.id}`)).status).toBe(404);
    expect((await app.api("GET", `/flow_runs/${run.id}`)).status).toBe(404);
    expect((await app.api("DELETE", `/deployments/${deployment.id}`)).status).toBe(404);
  });

  it("refuses a work pool that does not exist, naming it and the command, and writes nothing", async () => {
    const answer = await app.api("POST", "/deployments", { flow_name: "etl", name: "nopool", entrypoint: "flows/etl.ts:etl", work_pool_name: "k8s" });
    expect(answer.status).toBe(404);
    expect(answer.body.message).toContain('"k8s"');
    expect(answer.body.message).toContain("baton work-pool create k8s");
    expect((await app.api("GET", "/deployments/name/etl/nopool")).status).toBe(404);
  });

  it("refuses job variables the pool does not declare, naming the declared ones", async () => {
    const answer = await app.api("POST", "/deployments", { flow_name: "etl", name: "vars", entrypoint: "flows/etl.ts:etl", work_pool_name: "pool", job_variables: { image: "node:20", env: { A: "1" } } });
    expect(answer.status).toBe(422);
    expect(answer.body.issues).toEqual([{ path: "body.job_variables.image", message: expect.stringContaining("declared variables: name, env, labels, command, pull_step_timeout_seconds, stream_output, working_dir") }]);
    expect((await app.api("GET", "/deployments/name/etl/vars")).status).toBe(404);
  });

  it("names the field of a bad body", async () => {
    const answer = await app.api("POST", "/deployments", { flow_name: "etl", name: "bad", entrypoint: "no-export", schedules: [{ cron: "not a cron" }], surprise: 1 });
    expect(answer.status).toBe(422);
    const paths = answer.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(["body.entrypoint", "body.schedules.0.cron", "body.surprise"]));
  });

  it("keeps schedules filled, with the schedule's parameters over the deployment's", async () => {
    const deployment = await deploy(app, {
      name: "sched",
      work_pool_name: "pool",
      parameters: { source: "s3", limit: 1 },
      schedules: [{ interval: 60, parameters: { limit: 5 } }, { cron: "0 3 * * *", timezone: "Europe/Paris" }],
    });
    const runs = await scheduledRunsOf(deployment.id);
    const [minutely, daily] = deployment.schedules.map((s: { id: string }) => runs.filter((r) => r.idempotency_key.startsWith(`scheduled:${s.id}:`)));
    // Every minute for an hour; a daily schedule: at least three runs.
    expect(minutely).toHaveLength(60);
    expect(daily).toHaveLength(3);
    expect(minutely[0].parameters).toEqual({ source: "s3", limit: 5 });
    expect(daily[0].parameters).toEqual({ source: "s3", limit: 1 });
    expect(daily.map((r: any) => new Date(r.state.state_details.scheduled_time).toLocaleTimeString("en-GB", { timeZone: "Europe/Paris" }))).toEqual(["03:00:00", "03:00:00", "03:00:00"]);
    expect(minutely.every((r: any) => r.work_pool_name === "pool" && r.work_queue_name === "default" && r.deployment_name === "sched")).toBe(true);
  });

  it("replaces the future runs of a changed schedule, keeping the unchanged one's id", async () => {
    const base = { name: "change", work_pool_name: "pool", parameters: { source: "x" } };
    const before = await deploy(app, { ...base, schedules: [{ interval: 3600 }, { interval: 7200 }] });
    const oldRuns = await scheduledRunsOf(before.id);
    expect(oldRuns).toHaveLength(6);
    const after = await deploy(app, { ...base, schedules: [{ interval: 3600 }, { interval: 1800 }] });
    expect(after.schedules[0].id).toBe(before.schedules[0].id);
    expect(after.schedules[1].id).not.toBe(before.schedules[1].id);
    const newRuns = await scheduledRunsOf(after.id);
    expect(newRuns.some((r) => r.idempotency_key.includes(before.schedules[1].id))).toBe(false);
    expect(newRuns.filter((r) => r.idempotency_key.includes(after.schedules[1].id))).toHaveLength(3);
    expect(newRuns.filter((r) => r.idempotency_key.includes(after.schedules[0].id))).toHaveLength(3);
    const removed = await deploy(app, { ...base, schedules: [] });
    expect(removed.schedules).toEqual([]);
    expect(await scheduledRunsOf(after.id)).toEqual([]);
  });

  it("pause removes the future scheduled runs; resume makes them again", async () => {
    const deployment = await deploy(app, { name: "pausable", work_pool_name: "pool", schedules: [{ interval: 3600 }] });
    expect(await scheduledRunsOf(deployment.id)).toHaveLength(3);
    const paused = await app.api("POST", `/deployments/${deployment.id}/pause`);
    expect(paused.body.paused).toBe(true);
    expect(await scheduledRunsOf(deployment.id)).toEqual([]);
    const resumed = await app.api("POST", `/deployments/${deployment.id}/resume`);
    expect(resumed.body.paused).toBe(false);
    expect(await scheduledRunsOf(deployment.id)).toHaveLength(3);
  });

  it("runs on demand: defaults under the request's parameters, validated against the flow's schema", async () => {
    const deployment = await deploy(app, { name: "params", work_pool_name: "pool", parameters: { source: "s3", limit: 1 }, parameter_schema: parameterSchema, tags: ["dep"] });
    const run = await runOf(app, deployment.id, { parameters: { limit: 7 }, tags: ["manual"], name: "by-hand" });
    expect(run).toMatchObject({ name: "by-hand", state_type: "SCHEDULED", parameters: { source: "s3", limit: 7 }, tags: ["dep", "manual"], flow_id: deployment.flow_id, job_variables: {} });
    expect(Date.parse(run.state.state_details.scheduled_time)).toBeLessThanOrEqual(Date.now());
    const wrongType = await app.api("POST", `/deployments/${deployment.id}/runs`, { parameters: { limit: "many" } });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.code).toBe("ParameterValidationError");
    expect(wrongType.body.issues).toEqual([{ path: "body.parameters.limit", message: "must be integer" }]);
    const unknown = await app.api("POST", `/deployments/${deployment.id}/runs`, { parameters: { sourc: "x" } });
    expect(unknown.body.issues).toEqual([{ path: "body.parameters.sourc", message: expect.stringContaining('"sourc" is not a parameter') }]);
    const dated = await deploy(app, { name: "dated", work_pool_name: "pool", parameter_schema: { type: "object", properties: { since: { type: "string", format: "date-time" } } } });
    expect((await app.api("POST", `/deployments/${dated.id}/runs`, { parameters: { since: "yesterday" } })).body.issues).toEqual([{ path: "body.parameters.since", message: 'must match format "date-time"' }]);
    expect((await app.api("POST", `/deployments/${dated.id}/runs`, { parameters: { since: "2026-01-01T00:00:00Z" } })).status).toBe(201);
    const loose = await deploy(app, { name: "loose", work_pool_name: "pool", parameter_schema: parameterSchema, enforce_parameter_schema: false });
    expect((await app.api("POST", `/deployments/${loose.id}/runs`, { parameters: { limit: "many" } })).status).toBe(201);
  });

  it("checks parameters against a draft 2020-12 schema (what zod writes), and refuses a schema nothing could check with", async () => {
    const { z } = await import("zod");
    const schema = z.toJSONSchema(z.object({ limit: z.number().int().default(3), uppercase: z.boolean().default(true) }), { io: "input" }) as Record<string, unknown>;
    expect(schema.$schema).toMatch(/2020-12/);
    const deployment = await deploy(app, { name: "zod", work_pool_name: "pool", parameter_schema: schema });
    const bad = await app.api("POST", `/deployments/${deployment.id}/runs`, { parameters: { limit: "many" } });
    expect(bad.status).toBe(422);
    expect(bad.body.issues).toEqual([{ path: "body.parameters.limit", message: expect.stringMatching(/must be (integer|number)/) }]);
    expect((await app.api("POST", `/deployments/${deployment.id}/runs`, { parameters: { limit: 2 } })).status).toBe(201);
    const broken = await app.api("POST", "/deployments", { flow_name: "etl", name: "broken", entrypoint: "flows/etl.ts:etl", work_pool_name: "pool", parameter_schema: { type: "object", properties: { a: { $ref: "#/$defs/missing" } } } });
    expect(broken.status).toBe(422);
    expect(broken.body.issues).toEqual([{ path: "body.parameter_schema", message: expect.stringContaining("not a usable JSON Schema") }]);
  });

  it.each([
    ["draft-07", "http://json-schema.org/draft-07/schema#", "definitions"],
    ["draft 2020-12", "https://json-schema.org/draft/2020-12/schema", "$defs"],
  ])("redeploys a %s parameter schema that keeps its $id, and checks each run against the version deployed", async (_, dialect, defs) => {
    // Tools such as zod and typebox write $id; a changed flow keeps it from one release to the next.
    const version = (fields: string[]) => ({
      $schema: dialect,
      $id: `https://example.com/schemas/etl-params-${defs.replace("$", "")}.json`,
      type: "object",
      [defs]: { name: { type: "string", minLength: 1 } },
      properties: Object.fromEntries(fields.map((f) => [f, { $ref: `#/${defs}/name` }])),
      required: fields,
      additionalProperties: false,
    });
    const fields = ["source"];
    for (const added of ["region", "bucket", "prefix"]) {
      fields.push(added);
      const deployment = await deploy(app, { name: `with-id-${defs.replace("$", "")}`, work_pool_name: "pool", parameter_schema: version(fields) });
      const parameters = Object.fromEntries(fields.map((f) => [f, `${f}-value`]));
      const run = await runOf(app, deployment.id, { parameters });
      expect(run.parameters).toEqual(parameters);
      // The version deployed is the one that checks: its new field is required, nothing newer is known.
      const missing = await app.api("POST", `/deployments/${deployment.id}/runs`, { parameters: { ...parameters, [added]: undefined } });
      expect(missing.body.issues).toEqual([{ path: `body.parameters.${added}`, message: `parameter "${added}" is required` }]);
      const empty = await app.api("POST", `/deployments/${deployment.id}/runs`, { parameters: { ...parameters, [added]: "" } });
      expect(empty.body.issues).toEqual([{ path: `body.parameters.${added}`, message: expect.stringContaining("must NOT have fewer than 1 characters") }]);
    }
  });

  it("checks a run's job variables and honours its idempotency key and scheduled time", async () => {
    const deployment = await deploy(app, { name: "keyed", work_pool_name: "pool" });
    const undeclared = await app.api("POST", `/deployments/${deployment.id}/runs`, { job_variables: { cpu: 2 } });
    expect(undeclared.status).toBe(422);
    expect(undeclared.body.issues[0]).toMatchObject({ path: "body.job_variables.cpu", message: expect.stringContaining("declared variables:") });
    const later = secondsFromNow(600);
    const answers = await Promise.all([1, 2, 3].map(() => app.api("POST", `/deployments/${deployment.id}/runs`, { idempotency_key: "ci-42", scheduled_time: later })));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers[0]!.body).toMatchObject({ idempotency_key: "ci-42", expected_start_time: later });
    expect(await runsOf(deployment.id)).toHaveLength(1);
    const missing = await app.api("POST", "/deployments/0190a5a2-0000-7000-8000-000000000000/runs", {});
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("DeploymentNotFound");
  });
});
