import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { listDeliveries, queueTest } from "./outbox.js";
import { createRule, deleteRule, listRules, loadRule, readRule, updateRule } from "./rules.js";

export interface NotificationRouteOptions {
  key: () => Buffer;
  uiUrl?: string | undefined;
  /** Wake the dispatcher (a test message should not wait for the next tick). */
  kick?: () => void;
}

export function notificationRoutes({ app, database }: RouteContext, options: NotificationRouteOptions): void {
  const db = database.db;
  mountRoute(app, routes.createNotificationRule, ({ body }) => createRule(database, options.key(), body, new Date()));
  mountRoute(app, routes.listNotificationRules, ({ query }) => listRules(db, query));
  mountRoute(app, routes.readNotificationRule, ({ params }) => readRule(db, params.name));
  mountRoute(app, routes.updateNotificationRule, ({ params, body }) => updateRule(database, params.name, body, new Date()));
  mountRoute(app, routes.deleteNotificationRule, async ({ params }) => {
    await deleteRule(database, params.name);
    return null;
  });
  mountRoute(app, routes.testNotificationRule, async ({ params }) => {
    const rule = (await loadRule(db, options.key(), { name: params.name }))!;
    const delivery = await queueTest(db, rule, options.uiUrl, new Date());
    options.kick?.();
    return delivery;
  });
  mountRoute(app, routes.listNotificationDeliveries, ({ query }) => listDeliveries(db, query));
}
