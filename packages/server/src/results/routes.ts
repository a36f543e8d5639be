import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { readStoredResult, writeStoredResult } from "./repository.js";

/** Result storage on the server (`resultStorage: "server"` in flow code); see @baton/core api/results.ts. */
export function resultRoutes({ app, database }: RouteContext, maxBytes: number): void {
  mountRoute(app, routes.readResult, ({ params }) => readStoredResult(database.db, params.owner, params.key));
  mountRoute(app, routes.writeResult, ({ params, body }) => writeStoredResult(database.db, params.owner, params.key, body.content_base64, maxBytes, new Date()));
}
