import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { acquireSlots, releaseLease, renewLease } from "./leases.js";
import { createLimit, deleteLimit, listLimits, readLimit, updateLimit } from "./limits.js";

export function concurrencyRoutes({ app, database }: RouteContext): void {
  const db = database.db;
  mountRoute(app, routes.createConcurrencyLimit, ({ body }) => createLimit(db, body, new Date()));
  mountRoute(app, routes.listConcurrencyLimits, ({ query }) => listLimits(db, query, new Date()));
  mountRoute(app, routes.readConcurrencyLimit, ({ params }) => readLimit(db, params.name, new Date()));
  mountRoute(app, routes.updateConcurrencyLimit, ({ params, body }) => updateLimit(db, params.name, body, new Date()));
  mountRoute(app, routes.deleteConcurrencyLimit, async ({ params }) => {
    await deleteLimit(db, params.name);
    return null;
  });
  mountRoute(app, routes.acquireConcurrencySlots, ({ body }) => acquireSlots(database, body, new Date()));
  mountRoute(app, routes.renewConcurrencyLease, ({ params, body }) => renewLease(db, params.id, body.lease_seconds, new Date()));
  mountRoute(app, routes.releaseConcurrencyLease, async ({ params }) => {
    await releaseLease(db, params.id);
    return null;
  });
}
