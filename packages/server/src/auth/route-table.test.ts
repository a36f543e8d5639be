import { RoleSchema, fillPath, roleAllows, rolesAllowing, routes, uuidv7, type RouteDef } from "@baton/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openAuthTestApp, rowSnapshot, type AuthTestApp } from "../../test/harness.js";
import { EXPECTED_FOR_ALLOWED_ROLES } from "./route-table-expected.js";
import { bearer, keysByRole } from "./test-keys.js";

/** Valid-shaped values for every path parameter of the table: the route may answer 404, never 401/403 wrongly. */
const PARAMS: Record<string, string> = { id: uuidv7(), name: "not-there", flow: "no-flow", queue: "no-queue", owner: uuidv7(), key: "not-there", schedule_id: uuidv7() };

function pathOf(route: RouteDef): string {
  const names = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
  return `/api${fillPath(route.path, Object.fromEntries(names.map((n) => [n, PARAMS[n] ?? "x"])))}`;
}

const table = Object.entries(routes as Record<string, RouteDef>);

it("the expected answers name every route of the table and nothing else", () => {
  expect(Object.keys(EXPECTED_FOR_ALLOWED_ROLES).sort()).toEqual(table.map(([name]) => name).sort());
});

describe.each(DATABASE_KINDS)("every route of the table with every role, on %s", (kind) => {
  let app: AuthTestApp;
  let keys: Record<string, string>;

  beforeAll(async () => {
    // The route walk makes many requests from one address; none of them is a failed attempt.
    app = await openAuthTestApp(kind);
    const admin = app.adminKey;
    keys = await keysByRole(app.app, admin);
  }, 60_000);
  afterAll(async () => app?.cleanup());

  it.each(table)("%s: allowed roles get the answer the route gives them, others get 403 naming a role that would do, no credential 401, and a refusal changes no row", async (name, route) => {
    const url = pathOf(route);
    const payload = route.method === "GET" || route.method === "DELETE" ? undefined : route === routes.claimFlowRuns ? { worker_name: "w", wait_seconds: 0 } : {};
    const ask = (headers: Record<string, string>) => app.app.inject({ method: route.method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    /** A refused request: its answer, and no row added, removed or updated. */
    const refused = async (headers: Record<string, string>, who: string) => {
      const before = await rowSnapshot(app);
      const answer = await ask(headers);
      expect(await rowSnapshot(app), `${name} refused to ${who} (${answer.statusCode}) but a row changed`).toBe(before);
      return answer;
    };
    for (const role of RoleSchema.options) {
      const answer = roleAllows(role, route.permission) ? await ask(bearer(keys[role]!)) : await refused(bearer(keys[role]!), role);
      if (roleAllows(role, route.permission) && route === routes.readSecretValue) {
        // Past the role gate, the secrets route gives values to run tokens only: its own 403, not the role's.
        expect(answer.statusCode).toBe(403);
        expect(answer.json<{ message: string }>().message).not.toMatch(/needs the "\w+" permission/);
      } else if (roleAllows(role, route.permission)) {
        const expected = EXPECTED_FOR_ALLOWED_ROLES[name];
        expect(expected, `${name} has no line in route-table-expected.ts: add what an allowed role gets`).toBeDefined();
        expect(answer.statusCode, `${name} as ${role}: ${answer.body}`).toBe(expected!.status);
        if (expected!.code) expect(answer.json<{ code: string }>().code, `${name} as ${role}: ${answer.body}`).toBe(expected!.code);
        if (expected!.field) expect(answer.json<{ message: string }>().message, `${name} as ${role}`).toContain(`${expected!.field}:`);
        if (!expected!.code) expect(answer.statusCode, `${name}: the route's own success status`).toBe(route.status);
      } else {
        expect(answer.statusCode, `${name} as ${role}: ${answer.body}`).toBe(403);
        const message = answer.json<{ message: string }>().message;
        expect(rolesAllowing(route.permission).some((allowed) => message.includes(allowed)), message).toBe(true);
      }
    }
    const anonymous = route.permission === "none" ? await ask({}) : await refused({}, "no credential");
    if (route.permission === "none") expect([401, 403]).not.toContain(anonymous.statusCode);
    else {
      expect(anonymous.statusCode, `${name} without a credential: ${anonymous.body}`).toBe(401);
      expect(anonymous.json<{ message: string }>().message).toMatch(/baton login|BATON_API_KEY/);
    }
  });

  it("the API docs stay open and say which routes need a credential", async () => {
    const doc = await app.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(doc.statusCode).toBe(200);
    const body = doc.json<{ security: unknown[]; paths: Record<string, Record<string, { security?: unknown[] }>> }>();
    expect(body.security).toEqual([{ apiKey: [] }, { basic: [] }]);
    expect(body.paths["/api/health"]!.get!.security).toEqual([]);
    expect(body.paths["/api/flows"]!.get!.security).toBeUndefined();
    expect((await app.app.inject({ method: "GET", url: "/api/docs/" })).statusCode).toBe(200);
  });
});
