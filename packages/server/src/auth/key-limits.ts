import type { FastifyRequest } from "fastify";
import type { BatonDatabase } from "../db/open.js";
import { Forbidden } from "./errors.js";
import type { ApiKeyPrincipal, Principal, SessionPrincipal } from "./principal.js";

/**
 * A key limited to work pools and/or deployments by name (`baton api-key create --work-pool P
 * --deployment F/D`). What is enforced, per route:
 * - `/work_pools/:name/...` (read, queues, workers, heartbeat, claim, update, delete) and
 *   createWorkPool: the pool must be one of the key's pools.
 * - deployment routes (by id, by name, upsert, pause, resume, run, delete): the deployment must
 *   be one of the key's deployments, and its pool one of the key's pools.
 * - flow run routes by id (`/flow_runs/:id/...`): a run of a deployment or in a pool must pass
 *   the same test; a run of no deployment and no pool (a flow run from a script, a subflow) is
 *   not limited, since it belongs to neither.
 * - listWorkPools and listDeployments show only what the key may see (a page may come out short).
 * Not limited: task runs, logs and reports (they name a flow run in the body, checked by the
 * run-token scope for flow processes instead), listFlowRuns, flows, variables, secrets.
 * Each dimension applies only when the key has it: a key with pools but no deployments may
 * act on any deployment in its pools.
 */
type LimitedPrincipal = ApiKeyPrincipal | SessionPrincipal;

/** What a request acts on; `undefined` = the dimension does not apply, `null` = it has none. */
interface Target {
  pool?: string | null;
  deployment?: string | null;
}

export function isLimited(principal: Principal): principal is LimitedPrincipal {
  return (principal.kind === "api_key" || principal.kind === "session") && (principal.work_pools !== null || principal.deployments !== null);
}

function allows(principal: LimitedPrincipal, target: Target): boolean {
  if (principal.work_pools !== null && target.pool !== undefined && (target.pool === null || !principal.work_pools.includes(target.pool))) return false;
  if (principal.deployments !== null && target.deployment !== undefined && (target.deployment === null || !principal.deployments.includes(target.deployment))) return false;
  return true;
}

function describe(principal: LimitedPrincipal): string {
  const parts = [
    ...(principal.work_pools !== null ? [`work pools ${principal.work_pools.join(", ") || "(none)"}`] : []),
    ...(principal.deployments !== null ? [`deployments ${principal.deployments.join(", ") || "(none)"}`] : []),
  ];
  return parts.join(" and ");
}

async function deploymentTarget(database: BatonDatabase, where: { id: string } | { flow: string; name: string }): Promise<Target | undefined> {
  let q = database.db.selectFrom("deployments").select(["flow_name", "name", "work_pool_name"]);
  q = "id" in where ? q.where("id", "=", where.id) : q.where("flow_name", "=", where.flow).where("name", "=", where.name);
  const row = await q.executeTakeFirst();
  return row ? { pool: row.work_pool_name, deployment: `${row.flow_name}/${row.name}` } : undefined;
}

async function flowRunTarget(database: BatonDatabase, id: string): Promise<Target | undefined> {
  const row = await database.db.selectFrom("flow_runs").select(["flow_name", "deployment_id", "deployment_name", "work_pool_name"]).where("id", "=", id).executeTakeFirst();
  if (!row) return undefined;
  // A run from a script or a subflow belongs to no deployment and no pool: not limited.
  if (row.deployment_id === null && row.work_pool_name === null) return {};
  return { pool: row.work_pool_name, deployment: row.deployment_id === null ? null : `${row.flow_name}/${row.deployment_name ?? ""}` };
}

/** What the route acts on, looked up when it needs the database; `undefined`: nothing limited (or not found: the route answers 404). */
async function targetOf(database: BatonDatabase, routeName: string, request: FastifyRequest): Promise<Target | undefined> {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const path = request.routeOptions.url ?? "";
  if (path.startsWith("/api/work_pools/:name") && params.name) return { pool: params.name };
  if (routeName === "createWorkPool" && typeof body.name === "string") return { pool: body.name };
  if (routeName === "upsertDeployment" && typeof body.flow_name === "string" && typeof body.name === "string") {
    return { pool: typeof body.work_pool_name === "string" ? body.work_pool_name : null, deployment: `${body.flow_name}/${body.name}` };
  }
  if (routeName === "readDeploymentByName" && params.flow && params.name) return deploymentTarget(database, { flow: params.flow, name: params.name });
  if (path.startsWith("/api/deployments/:id") && params.id) return deploymentTarget(database, { id: params.id });
  if (path.startsWith("/api/flow_runs/:id") && params.id) return flowRunTarget(database, params.id);
  return undefined;
}

/** Throws 403 when a limited key acts on a pool or deployment outside its limits. */
export async function enforceKeyLimits(database: BatonDatabase, principal: LimitedPrincipal, routeName: string, request: FastifyRequest): Promise<void> {
  const target = await targetOf(database, routeName, request);
  if (!target || allows(principal, target)) return;
  const what = [target.deployment ? `deployment ${target.deployment}` : undefined, target.pool ? `work pool ${target.pool}` : undefined].filter(Boolean).join(" in ") || "something outside its limits";
  throw new Forbidden(`Forbidden: the API key "${principal.name}" may act only on ${describe(principal)}, not on ${what}; use a key without these limits, or one made for it (baton api-key create --work-pool/--deployment)`);
}

/** Lists a limited key may read, with the filter that keeps only its own items. */
const LIST_FILTERS: Record<string, (principal: LimitedPrincipal, item: Record<string, unknown>) => boolean> = {
  listWorkPools: (principal, item) => allows(principal, { pool: String(item.name) }),
  listDeployments: (principal, item) => allows(principal, { pool: (item.work_pool_name as string | null) ?? null, deployment: `${String(item.flow_name)}/${String(item.name)}` }),
};

/** A list answer without the items a limited key may not see. */
export function filterListForKey(principal: LimitedPrincipal, routeName: string, payload: unknown): unknown {
  const filter = LIST_FILTERS[routeName];
  if (!filter || typeof payload !== "object" || payload === null || !Array.isArray((payload as { items?: unknown }).items)) return payload;
  const page = payload as { items: Record<string, unknown>[] };
  return { ...page, items: page.items.filter((item) => filter(principal, item)) };
}
