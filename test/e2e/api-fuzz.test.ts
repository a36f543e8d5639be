import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { z } from "zod";
import { routes, uuidv7, type RouteDef, type RouteName } from "@baton/core";
import { createApp, type BatonApp } from "@baton/server";
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from "../helpers/databases.js";
import { CREDENTIAL_NAMES, SHAPE_ERRORS, fuzzCredentials, type FuzzCredential } from "./api-fuzz-credentials.js";
import { BAD_PATH_VALUES, BAD_QUERY_VALUES, MALFORMED_JSON, WRONG_CONTENT_TYPES, Rng, mutate, nastyValues, sample, type JsonSchema } from "./api-fuzz-inputs.js";

/**
 * Every route of the API table gets malformed JSON, wrong types, huge strings, deep nesting,
 * arrays where objects go, oversized bodies, wrong content types, bad query strings and path
 * values that name nothing. Every answer must be below 500; a rejected request must leave the
 * database as it was. BATON_FUZZ_SEED replays a run (the seed is printed with any failure),
 * BATON_FUZZ_ROUNDS makes it longer.
 */
const SEED = Number(process.env.BATON_FUZZ_SEED ?? 5_150_519);
const ROUNDS = Number(process.env.BATON_FUZZ_ROUNDS ?? 6);
/** Every other credential gets every STRIDE-th request of the admin's list (BATON_FUZZ_CREDENTIAL_STRIDE=1: all of them). */
const STRIDE = Number(process.env.BATON_FUZZ_CREDENTIAL_STRIDE ?? 8);
const AUTH_STRING = "fuzz-admin:fuzz-password-123";
const AUTHORIZATION = `Basic ${Buffer.from(AUTH_STRING).toString("base64")}`;
const BULK_LIMIT = 4 * 1024 * 1024;
const ROUTE_LIMIT = 1024 * 1024;
// Batches and stored results get the app's whole limit (see BULK_ROUTES in http/security.ts).
const BULK = new Set<RouteDef>([routes.reportRun, routes.createLogs]);
/**
 * The server's limit per stored result here; a result write's body limit follows it (base64 and an
 * envelope), and so does a resume's (its input is stored as a result): twice it is over both.
 */
const RESULT_MAX_BYTES = 1024 * 1024;
const FOLLOWS_RESULT_LIMIT = new Set<RouteDef>([routes.writeResult, routes.resumeFlowRun]);
const oversizedBody = (route: RouteDef): number => (FOLLOWS_RESULT_LIMIT.has(route) ? 2 * RESULT_MAX_BYTES : BULK.has(route) ? BULK_LIMIT : ROUTE_LIMIT);

interface FuzzRequest {
  category: string;
  route: string;
  method: string;
  url: string;
  contentType?: string;
  payload?: string;
  /** Only a 4xx is right (the input cannot be valid). */
  mustReject?: boolean;
  expectStatus?: number;
}

interface Failure {
  request: FuzzRequest;
  status: number;
  problem: string;
  answer: string;
}

const jsonSchemaOf = (schema: z.ZodTypeAny | undefined): JsonSchema | undefined =>
  schema ? (z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as JsonSchema) : undefined;

/** The seeded objects a valid-shaped path value names, by the path's first segment and parameter. */
function validPathValue(path: string, param: string, rng: Rng, ids: Record<string, string>): string {
  const resource = path.split("/")[1] ?? "";
  const known: Record<string, string | undefined> = {
    "flows:id": ids.flow,
    "flow_runs:id": ids.flowRun,
    "task_runs:id": ids.taskRun,
    "deployments:id": ids.deployment,
    "deployments:flow": "fuzz-flow",
    "deployments:name": "fuzz-deployment",
    "work_pools:name": "fuzz-pool",
    "work_pools:queue": "default",
    "variables:name": "fuzz-var",
    "secrets:name": "fuzz-secret",
    "api_keys:name": "fuzz-key",
  };
  const value = known[`${resource}:${param}`];
  return value !== undefined && rng.chance(0.7) ? value : param === "id" ? rng.uuid() : `fuzz-${rng.int(0, 9)}`;
}

function fillPath(path: string, values: (param: string) => string): string {
  return path.replace(/:([A-Za-z_]+)/g, (_, param: string) => encodeURIComponent(values(param)).replace(/%25/g, "%"));
}

function queryString(entries: [string, string][]): string {
  return entries.length === 0 ? "" : `?${entries.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join("&")}`;
}

function validQuery(schema: JsonSchema | undefined, rng: Rng): [string, string][] {
  if (!schema) return [];
  const value = sample(schema, rng, { wait_seconds: 0 }) as Record<string, unknown>;
  return Object.entries(value ?? {}).map(([k, v]) => [k, encodeURIComponent(Array.isArray(v) ? v.join(",") : String(v))]);
}

/** Every request the fuzz sends to one route, in a seeded order. */
function requestsFor(name: string, route: RouteDef, rng: Rng, ids: Record<string, string>): FuzzRequest[] {
  const params = /:/.test(route.path);
  const querySchema = jsonSchemaOf(route.query);
  const bodySchema = jsonSchemaOf(route.body);
  const out: FuzzRequest[] = [];
  // A route that waits (waitForFlowRun) waits 30 s unless told: every request of the fuzz says 0, unless it fuzzes that very key.
  const noWait = (query: [string, string][]): [string, string][] => (querySchema?.properties?.wait_seconds && !query.some(([k]) => k === "wait_seconds") ? [...query, ["wait_seconds", "0"]] : query);
  const base = (category: string, query: [string, string][] = validQuery(querySchema, rng), path = fillPath(route.path, (p) => validPathValue(route.path, p, rng, ids))) => ({
    category,
    route: name,
    method: route.method,
    url: `/api${path}${queryString(noWait(query))}`,
  });
  const json = (value: unknown) => ({ contentType: "application/json", payload: JSON.stringify(value) });
  const fixed = { wait_seconds: 0 };
  const hasBody = route.body !== undefined;

  for (let i = 0; i < ROUNDS; i++) {
    const body = bodySchema ? sample(bodySchema, rng, fixed) : undefined;
    out.push({ ...base("valid-shaped"), ...(body !== undefined ? json(body) : {}) });
    if (bodySchema) out.push({ ...base("mutated body"), ...json(mutate(sample(bodySchema, rng, fixed), rng)) });
    if (bodySchema) out.push({ ...base("mutated body twice"), ...json(mutate(mutate(sample(bodySchema, rng, fixed), rng), rng)) });
  }
  for (const value of nastyValues()) if (hasBody || rng.chance(0.1)) out.push({ ...base("nasty body"), ...json(value) });
  for (const text of MALFORMED_JSON) out.push({ ...base("malformed JSON"), contentType: "application/json", payload: text, mustReject: hasBody });
  for (const wrong of WRONG_CONTENT_TYPES) out.push({ ...base("wrong content type"), contentType: wrong.type, payload: wrong.payload, mustReject: hasBody });
  if (hasBody) {
    out.push({ ...base("oversized body"), ...json({ padding: "x".repeat(oversizedBody(route) + 1024) }), mustReject: true, expectStatus: 413 });
    out.push({ ...base("empty JSON body"), contentType: "application/json", payload: "", mustReject: true });
  }
  const queryKeys = Object.keys(querySchema?.properties ?? {});
  for (const key of [...queryKeys, "unknown_key"]) {
    for (let i = 0; i < Math.max(2, ROUNDS / 2); i++) out.push({ ...base("bad query", [...validQuery(querySchema, rng).filter(([k]) => k !== key), [key, encodeURIComponent(rng.pick(BAD_QUERY_VALUES))]]), ...(hasBody ? json(sample(bodySchema!, rng, fixed)) : {}) });
  }
  out.push({ ...base("repeated query keys", [...queryKeys.flatMap((k): [string, string][] => [[k, "1"], [k, "2"]]), ["limit", "1"], ["limit", "abc"]]) });
  out.push({ ...base("raw bad query", [["%ZZ", "%"], ["a[b][c]", "1"], ["limit", "%00"]]) });
  if (params) {
    for (const bad of BAD_PATH_VALUES) {
      const path = fillPath(route.path, () => bad).replace(/%25/g, "%");
      out.push({ ...base("bad path value", [], path), ...(hasBody ? json(sample(bodySchema!, rng, fixed)) : {}) });
    }
  }
  return out;
}

function printFailures(failures: Failure[], seed: number, credential = "admin"): void {
  for (const failure of failures.slice(0, 40)) {
    const r = failure.request;
    console.error(
      `[seed ${seed}, ${credential}] ${r.route} (${r.category}): ${failure.problem}\n  ${r.method} ${r.url.slice(0, 300)}\n  content-type: ${r.contentType ?? "-"}\n  body: ${(r.payload ?? "").slice(0, 300)}\n  answer: ${failure.answer}`,
    );
  }
}

const failureLine = (f: Failure) => `${f.request.route} (${f.request.category}) ${f.request.method} ${f.request.url.slice(0, 120)}: ${f.problem.slice(0, 200)}`;

describe.each(DATABASE_KINDS)("API fuzz on %s", (kind) => {
  let database: TestDatabase;
  let baton: BatonApp;
  const ids: Record<string, string> = {};
  let tables: string[] = [];
  /** Tables with an `updated` column: a rejected request must not have updated a row either. */
  let updatedTables: string[] = [];
  let credentials: FuzzCredential[] = [];

  const send = async (request: FuzzRequest, credential: Record<string, string> = { authorization: AUTHORIZATION }) => {
    const injected = baton.app.inject({
      method: request.method as "GET",
      url: request.url,
      headers: { ...credential, ...(request.contentType ? { "content-type": request.contentType } : {}) },
      ...(request.payload !== undefined ? { payload: request.payload } : {}),
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("no answer within 20 s")), 20_000)));
    try {
      const response = await Promise.race([injected, timeout]);
      return { status: response.statusCode, body: response.body };
    } finally {
      clearTimeout(timer);
    }
  };

  const api = async (method: string, url: string, body?: unknown) => {
    const answer = await send({ category: "setup", route: "setup", method, url: `/api${url}`, ...(body !== undefined ? { contentType: "application/json", payload: JSON.stringify(body) } : {}) });
    if (answer.status >= 300) throw new Error(`setup ${method} ${url} answered ${answer.status}: ${answer.body}`);
    return answer.body ? JSON.parse(answer.body) : null;
  };

  /**
   * The objects valid-shaped path values name. Made again before each route: an earlier
   * route (a delete) may have removed them, and a route on nothing answers only 404.
   */
  const seed = async () => {
    const pool = await send({ category: "setup", route: "setup", method: "POST", url: "/api/work_pools", contentType: "application/json", payload: JSON.stringify({ name: "fuzz-pool", type: "process" }) });
    if (pool.status !== 201 && pool.status !== 200 && pool.status !== 409) throw new Error(`setup: creating the work pool answered ${pool.status}: ${pool.body}`);
    const run = await api("POST", "/flow_runs", { flow_name: "fuzz-flow" });
    ids.flowRun = run.id;
    ids.flow = run.flow_id;
    ids.taskRun = (await api("POST", "/task_runs", { id: uuidv7(), flow_run_id: run.id, task_key: "fuzz-task", dynamic_key: "0", name: "fuzz-task-0" })).id;
    const deployment = await api("POST", "/deployments", { flow_name: "fuzz-flow", name: "fuzz-deployment", entrypoint: "flows/fuzz.ts:fuzzFlow", work_pool_name: "fuzz-pool", paused: true });
    ids.deployment = deployment.deployment.id;
    await api("PUT", "/variables/fuzz-var", { value: "v" });
    await api("PUT", "/secrets/fuzz-secret", { value: "s3cret-value", work_pools: ["*"] });
  };

  /** Rows per table and the latest update of each, in one query. */
  const snapshot = async (): Promise<string> => {
    const counts = [...tables.map((t) => `(SELECT count(*) FROM "${t}") AS "${t}"`), ...updatedTables.map((t) => `(SELECT max(updated) FROM "${t}") AS "${t}.updated"`)].join(", ");
    const result = await sql.raw<Record<string, unknown>>(`SELECT ${counts}`).execute(baton.db.db);
    return JSON.stringify(result.rows[0], (_, v) => (typeof v === "bigint" ? Number(v) : v));
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    // Authentication on, with an admin credential; an app without authentication ignores both.
    // Logging in with fuzz keys fails, as it should: the limit on failures would then refuse everything.
    baton = await createApp({ databaseUrl: database.url, logLevel: "silent", services: false, bodyLimitBytes: BULK_LIMIT, resultMaxBytes: RESULT_MAX_BYTES, auth: { enabled: true, apiAuthString: AUTH_STRING, rateLimit: { maxFailures: 1_000_000 } } } as Parameters<typeof createApp>[0]);
    const listed =
      kind === "sqlite"
        ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(baton.db.db)
        : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(baton.db.db);
    tables = listed.rows.map((r) => r.name).sort();
    const withUpdated =
      kind === "sqlite"
        ? await sql<{ name: string }>`SELECT m.name AS name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'updated'`.execute(baton.db.db)
        : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'updated'`.execute(baton.db.db);
    updatedTables = withUpdated.rows.map((r) => r.name).sort();
    expect(updatedTables).toContain("deployments");
    expect(tables.length).toBeGreaterThan(5);

    await seed();
    credentials = await fuzzCredentials(api);
  }, 120_000);

  afterAll(async () => {
    await baton?.close();
    await database?.drop();
  });

  it("answers every request below 500, rejects what cannot be valid, and changes nothing when it rejects", async () => {
    const rng = new Rng(SEED);
    const failures: Failure[] = [];
    let sent = 0;
    const statuses = new Map<number, number>();
    let unauthorized = 0;
    let before = "";
    for (const [name, route] of Object.entries(routes as Record<string, RouteDef>)) {
      await seed();
      before = await snapshot();
      for (const request of requestsFor(name, route, rng, ids)) {
        let answer: { status: number; body: string };
        try {
          answer = await send(request);
        } catch (error) {
          failures.push({ request, status: 0, problem: String(error), answer: "" });
          continue;
        }
        sent++;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        // Only logging in (with a fuzz key) may be refused for the credential: the admin's works everywhere else.
        if (answer.status === 401 && route !== routes.createSession) unauthorized++;
        const problems: string[] = [];
        if (answer.status >= 500) problems.push(`answered ${answer.status}`);
        if (request.mustReject && (answer.status < 400 || answer.status >= 500)) problems.push(`answered ${answer.status} to input that cannot be valid`);
        if (request.expectStatus && answer.status !== request.expectStatus) problems.push(`answered ${answer.status}, not ${request.expectStatus}`);
        const after = await snapshot();
        if (answer.status >= 400 && after !== before) problems.push(`rejected (${answer.status}) but the database changed: ${before} -> ${after}`);
        before = after;
        for (const problem of problems) failures.push({ request, status: answer.status, problem, answer: answer.body.slice(0, 500) });
      }
    }
    printFailures(failures, SEED);
    expect(sent).toBeGreaterThan(Object.keys(routes).length * 20);
    // The credential worked: the requests reached the routes' validation and handlers.
    expect(unauthorized, JSON.stringify([...statuses])).toBe(0);
    expect([...statuses].filter(([status]) => status < 300).reduce((n, [, count]) => n + count, 0)).toBeGreaterThan(Object.keys(routes).length);
    expect(failures.map(failureLine)).toEqual([]);

    // Still healthy, and still doing its job.
    expect((await send({ category: "after", route: "health", method: "GET", url: "/api/health" })).status).toBe(200);
    expect((await send({ category: "after", route: "ready", method: "GET", url: "/api/ready" })).status).toBe(200);
    const created = await api("POST", "/flow_runs", { flow_name: "fuzz-flow-after" });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
  }, 900_000);
  it.each(CREDENTIAL_NAMES)("with %s: never a 5xx; a route the credential may not use answers exactly its 401/403 and changes nothing", async (credentialName) => {
    const credential = credentials.find((c) => c.name === credentialName)!;
    const seedOf = SEED + CREDENTIAL_NAMES.indexOf(credentialName) + 1;
    const rng = new Rng(seedOf);
    const failures: Failure[] = [];
    let sent = 0;
    let refusedSent = 0;
    for (const [name, route] of Object.entries(routes as Record<string, RouteDef>)) {
      await seed();
      let before = await snapshot();
      const refused = credential.refused(name as RouteName, route);
      for (const request of requestsFor(name, route, rng, ids).filter((_, i) => i % STRIDE === 0)) {
        let answer: { status: number; body: string };
        try {
          answer = await send(request, credential.headers);
        } catch (error) {
          failures.push({ request, status: 0, problem: String(error), answer: "" });
          continue;
        }
        sent++;
        const problems: string[] = [];
        if (answer.status >= 500) problems.push(`answered ${answer.status}`);
        if (refused) {
          refusedSent++;
          // A run token's scope is checked after Fastify has read the body: a body that cannot be read is refused for its shape first.
          const shapeFirst = credential.name.startsWith("run token") && SHAPE_ERRORS.has(answer.status);
          // A path the router cannot read or match (a bad %-escape: 400; a value over its length limit: 400, or for a GET
          // the 404 of no route) is answered before any route, or its credential check, is chosen.
          const beforeRouting = request.category === "bad path value" && (answer.status === 400 || (answer.status === 404 && answer.body.includes('"RouteNotFound"')));
          if (answer.status !== credential.refusal && !shapeFirst && !beforeRouting) problems.push(`answered ${answer.status} to a credential that may not use ${name}, not ${credential.refusal}`);
        } else {
          if (request.mustReject && (answer.status < 400 || answer.status >= 500)) problems.push(`answered ${answer.status} to input that cannot be valid`);
        }
        const after = await snapshot();
        if ((refused || answer.status >= 400) && after !== before) problems.push(`${refused ? "refused" : "rejected"} (${answer.status}) but the database changed: ${before} -> ${after}`);
        before = after;
        for (const problem of problems) failures.push({ request, status: answer.status, problem, answer: answer.body.slice(0, 500) });
      }
    }
    printFailures(failures, seedOf, credential.name);
    expect(sent).toBeGreaterThan(Object.keys(routes).length * 5);
    if (credential.name !== "admin key") expect(refusedSent).toBeGreaterThan(0);
    expect(failures.map(failureLine)).toEqual([]);
    expect((await send({ category: "after", route: "health", method: "GET", url: "/api/health" })).status).toBe(200);
  }, 900_000);
});
