import { IdSchema, ResourceNameSchema, WorkerSchema, routes } from "@baton/core";
import { z } from "zod";
import { principalMaySeeEvent } from "../auth/key-limits.js";
import type { Principal } from "../auth/principal.js";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import type { EventBus } from "./bus.js";
import { listEventHistory } from "./history.js";
import { nothingCommitted } from "./publish.js";
import { relayAcrossReplicas } from "./replicas.js";
import { EventStream } from "./stream.js";
import { EVENT_TYPES, type EventType, type FlowRunEvent } from "./types.js";

const EventsQuerySchema = z
  .object({
    types: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const types = (v ?? "flow_run,worker").split(",").map((s) => s.trim()).filter(Boolean);
        const unknown = types.filter((t) => !EVENT_TYPES.includes(t as EventType));
        if (unknown.length > 0) ctx.addIssue({ code: "custom", message: `unknown event type ${unknown.join(", ")}; use ${EVENT_TYPES.join(", ")}` });
        return types as EventType[];
      }),
    flow_run_id: IdSchema.optional(),
    flow_id: IdSchema.optional(),
    deployment_id: IdSchema.optional(),
    work_pool_name: ResourceNameSchema.optional(),
  })
  .refine((q) => !(q.types.includes("log") || q.types.includes("task_runs")) || q.flow_run_id !== undefined, {
    message: "log and task_runs events need flow_run_id: those of every run at once would drown a browser",
    path: ["types"],
  });
type EventsQuery = z.output<typeof EventsQuerySchema>;

const matchesRun = (q: EventsQuery, e: FlowRunEvent) =>
  (!q.flow_run_id || e.id === q.flow_run_id) &&
  (!q.flow_id || e.flow_id === q.flow_id) &&
  (!q.deployment_id || e.deployment_id === q.deployment_id) &&
  (!q.work_pool_name || e.work_pool_name === q.work_pool_name);

/**
 * `GET /api/events`: the live updates stream (see ./types.ts for the events). It is not in
 * the core route table, whose routes answer one JSON body, so the permission the auth hook
 * checks is set here. Open streams are ended in preClose: `app.close()` waits for every open
 * connection, and an event stream never ends by itself.
 */
export function eventRoutes({ app, database }: RouteContext, bus: EventBus, options: { listenUrl?: string | undefined } = {}): void {
  const open = new Set<EventStream>();
  const relay = options.listenUrl
    ? relayAcrossReplicas({ listenUrl: options.listenUrl, db: database.db, bus, onError: (error) => app.log.warn({ err: error }, "the events LISTEN connection failed; reconnecting") })
    : undefined;
  app.addHook("preClose", async () => {
    for (const stream of open) stream.close();
    await relay?.stop();
  });
  app.addHook("preSerialization", async (request, reply, payload) => {
    if (request.routeOptions.config.routeName === "workerHeartbeat" && reply.statusCode === 200 && (bus.wants("worker") || bus.relay)) {
      const worker = WorkerSchema.safeParse(payload);
      if (worker.success) {
        bus.publish("worker", worker.data);
        bus.relay?.({ ...nothingCommitted(), workers: [worker.data] });
      }
    }
    return payload;
  });
  // What happened before a page opened the stream: the same flow_run events, from the stored states.
  mountRoute(app, routes.listEventHistory, ({ query, request }) => listEventHistory(database, query, request.principal));
  app.route({
    method: "GET",
    url: "/events",
    config: { permission: "read", routeName: "events" },
    schema: { summary: "Live updates as server-sent events: flow run states, a run's logs, worker heartbeats", tags: ["events"], querystring: EventsQuerySchema },
    handler: async (request, reply) => {
      const query = request.query as EventsQuery;
      // A key limited to pools or deployments sees only their runs and workers (the auth hook has
      // already refused a stream of a run, deployment or pool outside its limits).
      const principal = (request as { principal?: Principal }).principal;
      const mine = (type: string, e: object) => !principal || principalMaySeeEvent(principal, type, e as Record<string, unknown>);
      reply.hijack();
      const stream = new EventStream(reply.raw);
      open.add(stream);
      stream.onClose(() => open.delete(stream));
      if (query.types.includes("flow_run")) stream.onClose(bus.subscribe("flow_run", (e) => matchesRun(query, e) && mine("flow_run", e) && stream.send("flow_run", e)));
      if (query.types.includes("log")) {
        stream.onClose(bus.watchRun(query.flow_run_id!));
        stream.onClose(bus.subscribe("log", (e) => e.flow_run_id === query.flow_run_id && stream.send("log", e)));
      }
      if (query.types.includes("task_runs")) {
        stream.onClose(bus.watchRun(query.flow_run_id!));
        stream.onClose(bus.subscribe("task_runs", (e) => e.flow_run_id === query.flow_run_id && stream.send("task_runs", e)));
      }
      if (query.types.includes("worker")) {
        stream.onClose(bus.subscribe("worker", (e) => (!query.work_pool_name || e.work_pool_name === query.work_pool_name) && mine("worker", e) && stream.send("worker", e)));
      }
      stream.send("ready", { types: query.types });
    },
  });
}
