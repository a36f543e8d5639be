import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { assertMayReadSecretValue } from "./access.js";
import { deleteSecret, listSecrets, readSecretValue, setSecret } from "./repository.js";

/** `key` is asked for only when a secret is written or read, so the key file is made on first use. */
export function secretRoutes({ app, database }: RouteContext, key: () => Buffer): void {
  mountRoute(app, routes.setSecret, ({ params, body }) => setSecret(database, key(), params.name, body, new Date()));
  mountRoute(app, routes.listSecrets, ({ query }) => listSecrets(database.db, query));
  mountRoute(app, routes.readSecretValue, ({ params, request }) => {
    assertMayReadSecretValue(request, params.name);
    return readSecretValue(database.db, key(), params.name);
  });
  mountRoute(app, routes.deleteSecret, async ({ params }) => {
    await deleteSecret(database.db, params.name);
    return null;
  });
}
