import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { applyReport } from "./repository.js";

export function reportRoutes({ app, database }: RouteContext): void {
  mountRoute(app, routes.reportRun, ({ body }) => applyReport(database, body, new Date()));
}
