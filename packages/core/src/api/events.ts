/**
 * Live updates for the web UI: `GET /api/events` is a stream of server-sent events
 * (`text/event-stream`), permission "read". Each event is `event: <type>` and `data: <JSON>`;
 * comments (`: keep-alive`) arrive every 15 s so proxies keep the stream open. The browser's
 * EventSource reconnects by itself (`retry: 3000`); after a reconnect, refetch what the page
 * shows: events missed while disconnected are not replayed.
 *
 * Query (all optional):
 * - `types=flow_run,log,task_runs,worker`: the event types wanted (default `flow_run,worker`;
 *   `log` and `task_runs` need `flow_run_id`).
 * - `flow_run_id=<uuid>`: only this run's `flow_run` events, and its `log` lines.
 * - `deployment_id=<uuid>` / `flow_id=<uuid>` / `work_pool_name=<name>`: only `flow_run`
 *   events of runs with that deployment / flow / pool (and `worker` events of that pool).
 *
 * Events (data shapes):
 * - `ready`    `{ "types": ["flow_run", ...] }`: once, when the stream is open and subscribed.
 * - `flow_run` `{ "id", "state_type", "state_name", "flow_id", "flow_name", "deployment_id" | null, "deployment_name" | null,
 *                 "work_pool_name" | null, "timestamp", "state_id" }`: a flow run entered a state (one
 *                event per state, in order; creation counts). `timestamp` and `state_id` are the
 *                state's; `GET /api/events/history` lists the same events from before the stream opened.
 * - `log`      `{ "id", "flow_run_id", "task_run_id" | null, "name", "level", "message",
 *                 "timestamp" }`: a log line of the `flow_run_id` run was written (the shape of
 *                `GET /api/logs` items; lines arrive in batches, a line may come twice: dedupe by id).
 * - `task_runs` `{ "flow_run_id", "count" }`: `count` task runs of the `flow_run_id` run entered a
 *                state in one commit: refetch them (`GET /api/task_runs?flow_run_id=`). A hint, not
 *                the states: a flow of 10,000 tasks would otherwise send 30,000 events.
 * - `worker`   `{ "name", "work_pool_name", "status", "last_heartbeat_time" }`: a worker sent
 *                a heartbeat (the shape of `GET /api/work_pools/:name/workers` items).
 *
 * Where they come from: an in-process bus fed after each commit of this server. With several
 * server replicas on PostgreSQL, each NOTIFYs the others of its commits (the server's events/replicas.ts), so
 * a stream sees every replica's changes. Not seen: another process writing the same SQLite file
 * (an in-process client such as `baton run` without a server).
 */
export interface FlowRunEvent {
  id: string;
  state_type: string;
  state_name: string;
  flow_id: string;
  /** The flow's and deployment's names: what a key limited to deployments is checked against. */
  flow_name: string;
  deployment_name: string | null;
  deployment_id: string | null;
  work_pool_name: string | null;
  timestamp: string;
  /** The state's id: one state has one id here and in `GET /api/events/history` (dedupe by it). */
  state_id: string;
}

export interface LogEvent {
  id: string;
  flow_run_id: string;
  task_run_id: string | null;
  name: string;
  level: number;
  message: string;
  timestamp: string;
}

export interface TaskRunsEvent {
  flow_run_id: string;
  count: number;
}

export interface WorkerEvent {
  name: string;
  work_pool_name: string;
  status: string;
  last_heartbeat_time: string;
  [key: string]: unknown;
}

export interface EventMap {
  flow_run: FlowRunEvent;
  log: LogEvent;
  worker: WorkerEvent;
  task_runs: TaskRunsEvent;
}
export type EventType = keyof EventMap;
export const EVENT_TYPES: readonly EventType[] = ["flow_run", "log", "task_runs", "worker"];
