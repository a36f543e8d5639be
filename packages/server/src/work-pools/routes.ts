import { routes } from "@baton/core";
import type { DispatchNotifier } from "../wake-up/notifier.js";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { createWorkQueue, deleteWorkQueue, listWorkQueues, updateWorkQueue } from "./queues.js";
import { createWorkPool, deleteWorkPool, listWorkPools, readWorkPool, updateWorkPool } from "./repository.js";
import { listWorkers, workerHeartbeat } from "./workers.js";

/** A pool or queue resumed, or a limit raised, may let waiting claims take runs: they are woken. */
export function workPoolRoutes({ app, database }: RouteContext, notifier: DispatchNotifier): void {
  mountRoute(app, routes.createWorkPool, ({ body }) => createWorkPool(database, body, new Date()));
  mountRoute(app, routes.listWorkPools, ({ query }) => listWorkPools(database.db, query, new Date()));
  mountRoute(app, routes.readWorkPool, ({ params }) => readWorkPool(database.db, params.name, new Date()));
  mountRoute(app, routes.updateWorkPool, async ({ params, body }) => {
    const result = await updateWorkPool(database, params.name, body, new Date());
    notifier.wake(params.name);
    return result;
  });
  mountRoute(app, routes.deleteWorkPool, async ({ params }) => {
    await deleteWorkPool(database, params.name);
    return null;
  });
  mountRoute(app, routes.createWorkQueue, ({ params, body }) => createWorkQueue(database, params.name, body, new Date()));
  mountRoute(app, routes.listWorkQueues, ({ params }) => listWorkQueues(database.db, params.name));
  mountRoute(app, routes.updateWorkQueue, async ({ params, body }) => {
    const queue = await updateWorkQueue(database, params.name, params.queue, body, new Date());
    notifier.wake(params.name);
    return queue;
  });
  mountRoute(app, routes.deleteWorkQueue, async ({ params }) => {
    await deleteWorkQueue(database, params.name, params.queue);
    return null;
  });
  mountRoute(app, routes.workerHeartbeat, ({ params, body }) => workerHeartbeat(database, params.name, body, new Date()));
  mountRoute(app, routes.listWorkers, ({ params }) => listWorkers(database.db, params.name, new Date()));
}
