import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { TASK_RUN_STATES, listStates } from "../states/repository.js";
import { createTaskRun, listTaskRuns, readTaskRun, setTaskRunState } from "./repository.js";

export function taskRunRoutes({ app, database }: RouteContext): void {
  mountRoute(app, routes.createTaskRun, ({ body }) => createTaskRun(database, body, new Date()));
  mountRoute(app, routes.listTaskRuns, ({ query }) => listTaskRuns(database.db, query));
  mountRoute(app, routes.readTaskRun, ({ params }) => readTaskRun(database.db, params.id));
  mountRoute(app, routes.setTaskRunState, ({ params, body }) => setTaskRunState(database, params.id, body, new Date()));
  mountRoute(app, routes.taskRunStates, async ({ params, query }) => {
    await readTaskRun(database.db, params.id); // a 404 naming the task run, not an empty page
    return listStates(database.db, TASK_RUN_STATES, params.id, query);
  });
}
