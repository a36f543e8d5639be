import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { deleteVariable, listVariables, readVariable, setVariable } from "./repository.js";

export function variableRoutes({ app, database }: RouteContext): void {
  mountRoute(app, routes.setVariable, ({ params, body }) => setVariable(database.db, params.name, body.value, new Date()));
  mountRoute(app, routes.listVariables, ({ query }) => listVariables(database.db, query));
  mountRoute(app, routes.readVariable, ({ params }) => readVariable(database.db, params.name));
  mountRoute(app, routes.deleteVariable, async ({ params }) => {
    await deleteVariable(database.db, params.name);
    return null;
  });
}
