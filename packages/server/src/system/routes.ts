import { API_VERSION, BATON_VERSION, routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { DatabaseUnavailable } from "../db/open.js";

export function systemRoutes({ app, database }: RouteContext): void {
  mountRoute(app, routes.health, async () => ({ status: "ok" as const }));

  mountRoute(app, routes.ready, async () => {
    try {
      await database.ping();
    } catch (error) {
      throw new DatabaseUnavailable(`DatabaseUnavailable: the database ${database.description} does not answer: ${(error as Error).message}`, { cause: error });
    }
    return { status: "ready" as const, database: database.kind };
  });

  mountRoute(app, routes.version, async () => ({ version: BATON_VERSION, api_version: API_VERSION, database: database.kind }));
}
