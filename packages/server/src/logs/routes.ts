import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { listLogs, writeLogs } from "./repository.js";

export function logRoutes({ app, database }: RouteContext): void {
  mountRoute(app, routes.createLogs, async ({ body }) => ({ written: await writeLogs(database, body) }));
  mountRoute(app, routes.listLogs, ({ query }) => listLogs(database.db, query));
}
