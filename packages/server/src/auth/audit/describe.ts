/**
 * Writes the audit log leaves out: what workers and running flows do many times a second
 * (reports, logs, states, heartbeats, claims, task and subflow runs, run tokens). They are
 * recorded in the runs themselves; the audit log is for people changing things.
 */
export const NOT_AUDITED = new Set([
  "reportRun",
  "createLogs",
  "setFlowRunState",
  "setTaskRunState",
  "heartbeatFlowRun",
  "workerHeartbeat",
  "claimFlowRuns",
  "createTaskRun",
  "createFlowRun",
  "createFlow",
  "createRunToken",
]);

/** `/work_pools/:name/queues/:queue` + params -> `work_pool k8s queue q1`; body names when the path has none. */
export function describeObject(path: string, params: Record<string, unknown>, body: unknown): string {
  const segments = path.replace(/^\/api\//, "").split("/").filter(Boolean);
  // `/deployments/name/:flow/:name`: one deployment, written as everywhere else.
  if (typeof params.flow === "string" && typeof params.name === "string") return `deployment ${params.flow}/${params.name}`;
  const words: string[] = [];
  for (const segment of segments) {
    if (segment.startsWith(":")) {
      const value = params[segment.slice(1)];
      if (value !== undefined) words.push(String(value));
    } else if (segment !== "name") {
      // `deployments` -> `deployment`, `flow_runs` -> `flow_run`; actions (`pause`, `runs`) stay.
      words.push(words.length === 0 ? segment.replace(/s$/, "") : segment);
    }
  }
  if (segments.every((segment) => !segment.startsWith(":")) && body && typeof body === "object") {
    const named = body as { name?: unknown; flow_name?: unknown };
    if (typeof named.flow_name === "string" && typeof named.name === "string") words.push(`${named.flow_name}/${named.name}`);
    else if (typeof named.name === "string") words.push(named.name);
  }
  return words.join(" ").slice(0, 500);
}
