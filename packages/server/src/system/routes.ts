import { API_VERSION, BATON_VERSION, BatonError, routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { DatabaseUnavailable } from "../db/open.js";

/** 503 from /api/ready while the server starts: a load balancer keeps traffic away until then. */
export class ServerStarting extends BatonError {
  override readonly code = "ServerStarting";
  override readonly status = 503;
}

/** `ready()` says whether the background services' first pass has finished. */
export function systemRoutes({ app, database }: RouteContext, ready: () => boolean = () => true): void {
  mountRoute(app, routes.health, async () => ({ status: "ok" as const }));

  mountRoute(app, routes.ready, async () => {
    try {
      await database.ping();
    } catch (error) {
      throw new DatabaseUnavailable(`DatabaseUnavailable: the database ${database.description} does not answer: ${(error as Error).message}`, { cause: error });
    }
    if (!ready()) {
      throw new ServerStarting(
        "ServerStarting: the server is up but its first background pass (runs crashed while it was down, schedules) has not finished; /api/health answers already, /api/ready will once it is done",
      );
    }
    return { status: "ready" as const, database: database.kind };
  });

  mountRoute(app, routes.version, async () => ({ version: BATON_VERSION, api_version: API_VERSION, database: database.kind }));
}
