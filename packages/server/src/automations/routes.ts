import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { setDeploymentTriggers } from "./deployment-triggers.js";
import { createAutomation, deleteAutomation, listAutomations, listFirings, readAutomation, setAutomationEnabled } from "./repository.js";

export function automationRoutes({ app, database }: RouteContext): void {
  const db = database.db;
  mountRoute(app, routes.createAutomation, ({ body }) => createAutomation(database, body, new Date()));
  mountRoute(app, routes.listAutomations, ({ query }) => listAutomations(db, query));
  mountRoute(app, routes.readAutomation, ({ params }) => readAutomation(db, params.name));
  mountRoute(app, routes.pauseAutomation, ({ params }) => setAutomationEnabled(database, params.name, false, new Date()));
  mountRoute(app, routes.resumeAutomation, ({ params }) => setAutomationEnabled(database, params.name, true, new Date()));
  mountRoute(app, routes.deleteAutomation, async ({ params }) => {
    await deleteAutomation(database, params.name);
    return null;
  });
  mountRoute(app, routes.setDeploymentTriggers, ({ params, body }) => setDeploymentTriggers(database, params.id, body.triggers, new Date()));
  mountRoute(app, routes.listAutomationFirings, ({ query }) => listFirings(db, query));
}
