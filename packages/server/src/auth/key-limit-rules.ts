import type { RouteName } from "@baton/core";

/**
 * How each route applies a limited key's pools and deployments (`baton api-key create --work-pool
 * P --deployment F/D`). Keyed by every route of the table in @baton/core (and the events stream,
 * which is outside it): a route added to the table without a rule here does not compile, and the
 * table-driven test (key-limits.test.ts) calls every route with a limited key.
 * - target: the request names what it acts on (path, query or body); targetsOf in key-limits.ts
 *   looks it up, and a target outside the key's limits is refused with 403.
 * - filter: a list; LIST_FILTERS in key-limits.ts trims the answer to what the key may see.
 * - unrelated: returns no run, log, task run, deployment, pool or event (flows, variables,
 *   secrets' names, the caller itself), or needs a role a limited key's checks do not touch.
 */
export type KeyLimitRule = "target" | "filter" | "unrelated";

export const KEY_LIMIT_RULES = {
  health: "unrelated",
  ready: "unrelated",
  version: "unrelated",
  createFlow: "unrelated",
  listFlows: "unrelated",
  readFlow: "unrelated",
  createFlowRun: "unrelated",
  listFlowRuns: "filter",
  countFlowRuns: "target",
  readFlowRun: "target",
  waitForFlowRun: "target",
  deleteFlowRun: "target",
  setFlowRunState: "target",
  flowRunStates: "target",
  heartbeatFlowRun: "target",
  reportRun: "target",
  createTaskRun: "target",
  listTaskRuns: "filter",
  readTaskRun: "target",
  setTaskRunState: "target",
  taskRunStates: "target",
  createLogs: "target",
  listLogs: "target",
  upsertDeployment: "target",
  listDeployments: "filter",
  readDeployment: "target",
  readDeploymentByName: "target",
  deleteDeployment: "target",
  pauseDeployment: "target",
  resumeDeployment: "target",
  runDeployment: "target",
  createDeploymentSchedule: "target",
  updateDeploymentSchedule: "target",
  deleteDeploymentSchedule: "target",
  createWorkPool: "target",
  listWorkPools: "filter",
  readWorkPool: "target",
  updateWorkPool: "target",
  deleteWorkPool: "target",
  createWorkQueue: "target",
  listWorkQueues: "target",
  updateWorkQueue: "target",
  deleteWorkQueue: "target",
  workerHeartbeat: "target",
  listWorkers: "target",
  claimFlowRuns: "target",
  cancelFlowRun: "target",
  whyFlowRun: "target",
  setSecret: "unrelated",
  listSecrets: "unrelated",
  deleteSecret: "unrelated",
  readSecretValue: "unrelated",
  setVariable: "unrelated",
  listVariables: "unrelated",
  readVariable: "unrelated",
  // Limits hold no run, log or deployment; a lease records a run id for `flow-run why` only.
  createConcurrencyLimit: "unrelated",
  listConcurrencyLimits: "unrelated",
  readConcurrencyLimit: "unrelated",
  updateConcurrencyLimit: "unrelated",
  deleteConcurrencyLimit: "unrelated",
  acquireConcurrencySlots: "unrelated",
  renewConcurrencyLease: "unrelated",
  releaseConcurrencyLease: "unrelated",
  // Rules are admin's (a limited key's checks do not touch them); the delivery log names runs.
  createNotificationRule: "unrelated",
  listNotificationRules: "unrelated",
  readNotificationRule: "unrelated",
  updateNotificationRule: "unrelated",
  deleteNotificationRule: "unrelated",
  testNotificationRule: "unrelated",
  listNotificationDeliveries: "filter",
  // Automations act on deployments they name, which a limited key's checks do not see: deploy role, unlimited keys.
  createAutomation: "unrelated",
  listAutomations: "unrelated",
  readAutomation: "unrelated",
  pauseAutomation: "unrelated",
  resumeAutomation: "unrelated",
  deleteAutomation: "unrelated",
  // A deployment's own triggers run only that deployment: the key must be allowed it (the path names it).
  setDeploymentTriggers: "target",
  listAutomationFirings: "filter",
  deleteVariable: "unrelated",
  // An artifact belongs to a flow run: the run's deployment and pool decide.
  createArtifact: "target",
  updateArtifact: "target",
  listArtifacts: "filter",
  readArtifact: "target",
  deleteArtifact: "target",
  // A run's persisted results are the run's: its deployment and pool decide; cache entries are no run's.
  resumeFlowRun: "target",
  readResult: "target",
  writeResult: "target",
  readResultContent: "target",
  writeResultContent: "target",
  whoAmI: "unrelated",
  createSession: "unrelated",
  readSession: "unrelated",
  deleteSession: "unrelated",
  createApiKey: "unrelated",
  listApiKeys: "unrelated",
  revokeApiKey: "unrelated",
  createRunToken: "target",
  listAudit: "unrelated",
  flowRunStats: "target",
  retryFlowRun: "target",
  flowRunJobConfiguration: "target",
  deploymentJobConfiguration: "target",
  checkWorkPoolTemplate: "unrelated",
  deploymentSummaries: "target",
  events: "filter",
  listEventHistory: "filter",
} as const satisfies Record<RouteName | "events", KeyLimitRule>;

/** The rule of a route by its name; undefined for a route nobody classified (refused to limited keys). */
export function keyLimitRule(routeName: string): KeyLimitRule | undefined {
  return Object.hasOwn(KEY_LIMIT_RULES, routeName) ? KEY_LIMIT_RULES[routeName as keyof typeof KEY_LIMIT_RULES] : undefined;
}
