import type { FastifyRequest } from "fastify";
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { BatonDatabase } from "../db/open.js";
import { Forbidden } from "./errors.js";
import { taskRunOwners } from "./run-tokens/scope-checks.js";
import { artifactRunId } from "../artifacts/store.js";
import type { ApiKeyPrincipal, Principal, SessionPrincipal } from "./principal.js";
import { keyLimitRule } from "./key-limit-rules.js";

/**
 * A key limited to work pools and/or deployments by name (`baton api-key create --work-pool P
 * --deployment F/D`). What is enforced, per route:
 * - `/work_pools/:name/...` (read, queues, workers, heartbeat, claim, update, delete) and
 *   createWorkPool: the pool must be one of the key's pools.
 * - deployment routes (by id, by name, upsert, pause, resume, run, delete): the deployment must
 *   be one of the key's deployments, and its pool one of the key's pools.
 * - flow run routes by id (`/flow_runs/:id/...`), task run routes by id (`/task_runs/:id/...`,
 *   through the task run's flow run), createTaskRun, createLogs, reportRun (every flow run and
 *   task run the body names) and listLogs/listTaskRuns filtered by flow_run_id: a run of a
 *   deployment or in a pool must pass the same test; a run of no deployment and no pool (a flow
 *   run from a script, a subflow) is not limited, since it belongs to neither.
 * - listWorkPools, listDeployments, listFlowRuns and listTaskRuns show only what the key may see
 *   (a page may come out short); deploymentSummaries, flowRunStats and countFlowRuns must name what
 *   the key may see (ids; a pool or deployment); the events stream sends only events of runs and workers
 *   the key may see, and a run's log and task-run events only for such a run; the events history
 *   lists only such runs' states (asked of the database with runVisibleTo, so its pages are full).
 * Every route has its rule in KEY_LIMIT_RULES (key-limit-rules.ts); a route without one is
 * refused to a limited key. Not limited: flows, variables, secrets (their own roles apply).
 * Each dimension applies only when the key has it: a key with pools but no deployments may
 * act on any deployment in its pools.
 */
type LimitedPrincipal = ApiKeyPrincipal | SessionPrincipal;

/** What a request acts on; `undefined` = the dimension does not apply, `null` = it has none. */
export interface Target {
  pool?: string | null;
  deployment?: string | null;
}

export function isLimited(principal: Principal): principal is LimitedPrincipal {
  return (principal.kind === "api_key" || principal.kind === "session") && (principal.work_pools !== null || principal.deployments !== null);
}

export function allows(principal: Pick<LimitedPrincipal, "work_pools" | "deployments">, target: Target): boolean {
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

export async function deploymentTarget(database: BatonDatabase, where: { id: string } | { flow: string; name: string }): Promise<Target | undefined> {
  let q = database.db.selectFrom("deployments").select(["flow_name", "name", "work_pool_name"]);
  q = "id" in where ? q.where("id", "=", where.id) : q.where("flow_name", "=", where.flow).where("name", "=", where.name);
  const row = await q.executeTakeFirst();
  return row ? { pool: row.work_pool_name, deployment: `${row.flow_name}/${row.name}` } : undefined;
}

interface RunColumns {
  flow_name: string;
  deployment_id: string | null;
  deployment_name: string | null;
  work_pool_name: string | null;
}

function runTarget(row: RunColumns): Target {
  // A run from a script or a subflow belongs to no deployment and no pool: not limited.
  if (row.deployment_id === null && row.work_pool_name === null) return {};
  return { pool: row.work_pool_name, deployment: row.deployment_id === null ? null : `${row.flow_name}/${row.deployment_name ?? ""}` };
}

/**
 * `runTarget` + `allows` as a condition on a flow_runs row (aliased `run`), so a list can ask the
 * database for only what a limited key may see and fill its pages: what principalMaySeeEvent
 * keeps, no more and no less (key-limits.test.ts holds them to the same answers).
 */
export function runVisibleTo(eb: ExpressionBuilder<{ run: RunColumns }, "run">, principal: Pick<LimitedPrincipal, "work_pools" | "deployments">): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (principal.work_pools !== null) conditions.push(principal.work_pools.length > 0 ? eb("run.work_pool_name", "in", principal.work_pools) : sql<SqlBool>`1 = 0`);
  if (principal.deployments !== null) {
    const name = sql<string>`${sql.ref("run.flow_name")} || '/' || coalesce(${sql.ref("run.deployment_name")}, '')`;
    conditions.push(principal.deployments.length > 0 ? eb.and([eb("run.deployment_id", "is not", null), eb(name, "in", principal.deployments)]) : sql<SqlBool>`1 = 0`);
  }
  return eb.or([eb.and([eb("run.deployment_id", "is", null), eb("run.work_pool_name", "is", null)]), eb.and(conditions)]);
}

/** The targets of these flow runs (those that exist; the route answers for the others). */
async function flowRunTargets(database: BatonDatabase, ids: Iterable<string>): Promise<Target[]> {
  const all = [...new Set(ids)];
  const targets: Target[] = [];
  for (let i = 0; i < all.length; i += 1000) {
    const rows = await database.db.selectFrom("flow_runs").select(["flow_name", "deployment_id", "deployment_name", "work_pool_name"]).where("id", "in", all.slice(i, i + 1000)).execute();
    targets.push(...rows.map(runTarget));
  }
  return targets;
}

/** The flow runs a report's or a log batch's lines belong to, task runs the body creates included. */
async function reportRunIds(database: BatonDatabase, report: { task_runs?: { id: string; flow_run_id: string }[]; task_run_states?: { task_run_id: string }[]; logs?: { flow_run_id: string }[] }): Promise<string[]> {
  const created = new Set((report.task_runs ?? []).map((t) => t.id));
  const existing = (report.task_run_states ?? []).map((s) => s.task_run_id).filter((id) => !created.has(id));
  const owners = await taskRunOwners(database, existing);
  return [...(report.task_runs ?? []).map((t) => t.flow_run_id), ...(report.logs ?? []).map((l) => l.flow_run_id), ...owners.values()];
}

/** What the route acts on, looked up when it needs the database; none: nothing limited (or not found: the route answers 404). */
async function targetsOf(database: BatonDatabase, routeName: string, request: FastifyRequest): Promise<Target[]> {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const path = request.routeOptions.url ?? "";
  const one = (target: Target | undefined) => (target ? [target] : []);
  if (path.startsWith("/api/work_pools/:name") && params.name) return [{ pool: params.name }];
  if (routeName === "createWorkPool" && typeof body.name === "string") return [{ pool: body.name }];
  if (routeName === "upsertDeployment" && typeof body.flow_name === "string" && typeof body.name === "string") {
    return [{ pool: typeof body.work_pool_name === "string" ? body.work_pool_name : null, deployment: `${body.flow_name}/${body.name}` }];
  }
  if (routeName === "readDeploymentByName" && params.flow && params.name) return one(await deploymentTarget(database, { flow: params.flow, name: params.name }));
  if (path.startsWith("/api/deployments/:id") && params.id) return one(await deploymentTarget(database, { id: params.id }));
  if (path.startsWith("/api/flow_runs/:id") && params.id) return flowRunTargets(database, [params.id]);
  if (path.startsWith("/api/results/:owner") && params.owner && params.owner !== "cache") return flowRunTargets(database, [params.owner]);
  if (path.startsWith("/api/task_runs/:id") && params.id) return flowRunTargets(database, (await taskRunOwners(database, [params.id])).values());
  if ((routeName === "createTaskRun" || routeName === "createArtifact") && typeof body.flow_run_id === "string") return flowRunTargets(database, [body.flow_run_id]);
  if (path.startsWith("/api/artifacts/:id") && params.id) return flowRunTargets(database, [(await artifactRunId(database.db, params.id)) ?? params.id]);
  if (routeName === "createLogs" && Array.isArray(request.body)) return flowRunTargets(database, (request.body as { flow_run_id: string }[]).map((l) => l.flow_run_id));
  if (routeName === "reportRun") return flowRunTargets(database, await reportRunIds(database, body as never));
  if ((routeName === "listLogs" || routeName === "listTaskRuns") && typeof query.flow_run_id === "string") return flowRunTargets(database, [query.flow_run_id]);
  if (routeName === "deploymentSummaries" && Array.isArray(query.ids)) return deploymentTargets(database, query.ids as string[]);
  if (routeName === "flowRunStats" || routeName === "countFlowRuns" || routeName === "events" || routeName === "listEventHistory") return streamOrStatsTargets(database, routeName, query);
  return [];
}

async function deploymentTargets(database: BatonDatabase, ids: string[]): Promise<Target[]> {
  const targets: Target[] = [];
  for (const id of new Set(ids)) {
    const target = await deploymentTarget(database, { id });
    if (target) targets.push(target);
  }
  return targets;
}

/**
 * The stats chart and the events stream select runs by query: the run, deployment and pool they
 * name must be the key's. Stats without any of them would count every pool's runs: a limited
 * key must name one of its pools or deployments (the events stream instead filters each event).
 */
async function streamOrStatsTargets(database: BatonDatabase, routeName: string, query: Record<string, unknown>): Promise<Target[]> {
  const targets: Target[] = [];
  if (typeof query.flow_run_id === "string") targets.push(...(await flowRunTargets(database, [query.flow_run_id])));
  if (typeof query.deployment_id === "string") targets.push(...(await deploymentTargets(database, [query.deployment_id])));
  if (typeof query.work_pool_name === "string") targets.push({ pool: query.work_pool_name });
  if ((routeName === "flowRunStats" || routeName === "countFlowRuns") && targets.length === 0) targets.push({ pool: null, deployment: null });
  return targets;
}

/** Throws 403 when a limited key acts on a pool or deployment outside its limits. */
export async function enforceKeyLimits(database: BatonDatabase, principal: LimitedPrincipal, routeName: string, request: FastifyRequest): Promise<void> {
  if (keyLimitRule(routeName) === undefined) {
    throw new Forbidden(`Forbidden: the API key "${principal.name}" is limited to ${describe(principal)}, and ${routeName} does not say how it applies such limits, so it is refused; use a key without limits`);
  }
  const target = (await targetsOf(database, routeName, request)).find((t) => !allows(principal, t));
  if (!target) return;
  const what = [target.deployment ? `deployment ${target.deployment}` : undefined, target.pool ? `work pool ${target.pool}` : undefined].filter(Boolean).join(" in ") || "something outside its limits";
  throw new Forbidden(`Forbidden: the API key "${principal.name}" may act only on ${describe(principal)}, not on ${what}; use a key without these limits, or one made for it (baton api-key create --work-pool/--deployment)`);
}

type ListFilter = (database: BatonDatabase, principal: LimitedPrincipal, items: Record<string, unknown>[]) => Promise<Record<string, unknown>[]>;
const each =
  (test: (principal: LimitedPrincipal, item: Record<string, unknown>) => boolean): ListFilter =>
  async (_database, principal, items) =>
    items.filter((item) => test(principal, item));

/** Items that name a flow run (`flow_run_id`): the run's deployment and pool decide. */
const byFlowRun: ListFilter = async (database, principal, items) => {
  const runs = [...new Set(items.flatMap((item) => (item.flow_run_id ? [String(item.flow_run_id)] : [])))];
  const allowed = new Set<string>();
  for (let i = 0; i < runs.length; i += 1000) {
    const rows = await database.db.selectFrom("flow_runs").select(["id", "flow_name", "deployment_id", "deployment_name", "work_pool_name"]).where("id", "in", runs.slice(i, i + 1000)).execute();
    for (const row of rows) if (allows(principal, runTarget(row))) allowed.add(row.id);
  }
  return items.filter((item) => allowed.has(String(item.flow_run_id)));
};

/** Lists a limited key may read, with the filter that keeps only its own items. */
const LIST_FILTERS: Record<string, ListFilter> = {
  listWorkPools: each((principal, item) => allows(principal, { pool: String(item.name) })),
  listFlowRuns: each((principal, item) => allows(principal, runTarget(item as unknown as RunColumns))),
  listDeployments: each((principal, item) => allows(principal, { pool: (item.work_pool_name as string | null) ?? null, deployment: `${String(item.flow_name)}/${String(item.name)}` })),
  // A task run belongs to its flow run: the run's deployment and pool decide.
  listTaskRuns: byFlowRun,
  // So does a notification delivery; a test message (no run) is not shown to a limited key.
  listNotificationDeliveries: byFlowRun,
  listAutomationFirings: byFlowRun,
  listArtifacts: byFlowRun,
  // The events history asks the database for only the key's runs already (runVisibleTo); this is
  // the live stream's own test, so the two can never disagree.
  listEventHistory: each((principal, item) => principalMaySeeEvent(principal, "flow_run", item)),
};

/** A list answer without the items a limited key may not see. */
export async function filterListForKey(database: BatonDatabase, principal: LimitedPrincipal, routeName: string, payload: unknown): Promise<unknown> {
  const filter = LIST_FILTERS[routeName];
  if (!filter || typeof payload !== "object" || payload === null || !Array.isArray((payload as { items?: unknown }).items)) return payload;
  const page = payload as { items: Record<string, unknown>[] };
  return { ...page, items: await filter(database, principal, page.items) };
}

/**
 * Whether a principal may see an event of the live stream: a limited key sees a flow run's events
 * only when it may see the run, and a worker's only for its pools. Everyone else: every event.
 */
export function principalMaySeeEvent(principal: Principal, type: string, event: Record<string, unknown>): boolean {
  if (!isLimited(principal)) return true;
  if (type === "flow_run") return allows(principal, runTarget({ flow_name: String(event.flow_name), deployment_id: (event.deployment_id as string | null) ?? null, deployment_name: (event.deployment_name as string | null) ?? null, work_pool_name: (event.work_pool_name as string | null) ?? null }));
  if (type === "worker") return allows(principal, { pool: String(event.work_pool_name) });
  // log and task_runs events are of the one run the stream names, checked when it opened.
  return true;
}
