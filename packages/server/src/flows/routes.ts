import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { listFlows, readFlow, upsertFlow } from "./repository.js";

export function flowRoutes({ app, database }: RouteContext): void {
  mountRoute(app, routes.createFlow, ({ body }) => database.transaction((trx) => upsertFlow(trx, body, new Date())));
  mountRoute(app, routes.listFlows, ({ query }) => listFlows(database.db, query));
  mountRoute(app, routes.readFlow, ({ params }) => readFlow(database.db, params.id));
}
