import { RoleSchema, fillPath, roleAllows, rolesAllowing, routes, uuidv7, type RouteDef } from "@baton/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestApp, type TestApp } from "../../test/harness.js";
import { ensureBootstrapKey } from "./bootstrap.js";
import { bearer, keysByRole } from "./test-keys.js";

/** Valid-shaped values for every path parameter of the table: the route may answer 404, never 401/403 wrongly. */
const PARAMS: Record<string, string> = { id: uuidv7(), name: "not-there", flow: "no-flow", queue: "no-queue" };

function pathOf(route: RouteDef): string {
  const names = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
  return `/api${fillPath(route.path, Object.fromEntries(names.map((n) => [n, PARAMS[n] ?? "x"])))}`;
}

const table = Object.entries(routes as Record<string, RouteDef>);

describe.each(DATABASE_KINDS)("every route of the table with every role, on %s", (kind) => {
  let app: TestApp;
  let keys: Record<string, string>;

  beforeAll(async () => {
    // The route walk makes many requests from one address; none of them is a failed attempt.
    app = await openTestApp(kind, { auth: { enabled: true } });
    const admin = await ensureBootstrapKey(app.db, undefined);
    keys = await keysByRole(app.app, admin!.key);
  }, 60_000);
  afterAll(async () => app?.cleanup());

  it.each(table)("%s: allowed roles get through, others get 403 naming a role that would do, no credential 401", async (name, route) => {
    const url = pathOf(route);
    const payload = route.method === "GET" || route.method === "DELETE" ? undefined : route === routes.claimFlowRuns ? { worker_name: "w", wait_seconds: 0 } : {};
    const ask = (headers: Record<string, string>) => app.app.inject({ method: route.method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    for (const role of RoleSchema.options) {
      const answer = await ask(bearer(keys[role]!));
      if (roleAllows(role, route.permission) && route === routes.readSecretValue) {
        // Past the role gate, the secrets route gives values to run tokens only: its own 403, not the role's.
        expect(answer.statusCode).toBe(403);
        expect(answer.json<{ message: string }>().message).not.toMatch(/needs the "\w+" permission/);
      } else if (roleAllows(role, route.permission)) {
        expect([401, 403], `${name} as ${role}: ${answer.body}`).not.toContain(answer.statusCode);
      } else {
        expect(answer.statusCode, `${name} as ${role}: ${answer.body}`).toBe(403);
        const message = answer.json<{ message: string }>().message;
        expect(rolesAllowing(route.permission).some((allowed) => message.includes(allowed)), message).toBe(true);
      }
    }
    const anonymous = await ask({});
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
