import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { extendLease, wakePoolOf } from "../dispatch/leases.js";
import type { DispatchNotifier } from "../dispatch/notifier.js";
import { mountRoute } from "../http/mount.js";
import { FLOW_RUN_STATES, listStates } from "../states/repository.js";
import { createFlowRun, deleteFlowRun, heartbeatFlowRun, listFlowRuns, readFlowRun, readFlowRunRow } from "./repository.js";
import { setFlowRunState } from "./set-state.js";

export function flowRunRoutes({ app, database }: RouteContext, notifier?: Pick<DispatchNotifier, "wake">): void {
  mountRoute(app, routes.createFlowRun, ({ body }) => createFlowRun(database, body, new Date()));
  mountRoute(app, routes.listFlowRuns, ({ query }) => listFlowRuns(database, query));
  mountRoute(app, routes.readFlowRun, ({ params }) => readFlowRun(database.db, params.id));
  mountRoute(app, routes.deleteFlowRun, async ({ params }) => {
    await deleteFlowRun(database, params.id);
    return null;
  });
  mountRoute(app, routes.setFlowRunState, async ({ params, body }) => {
    const result = await setFlowRunState(database, params.id, body, new Date());
    // A run sent back to Scheduled (a worker's crash_retries, a manual retry) is claimable now:
    // wake the pool's waiting claims instead of leaving it to their next poll.
    if (result.status === "ACCEPT" && result.state.type === "SCHEDULED") await wakePoolOf(database, params.id, notifier);
    return result;
  });
  mountRoute(app, routes.flowRunStates, async ({ params, query }) => {
    await readFlowRunRow(database.db, params.id); // a 404 naming the run, not an empty page
    return listStates(database.db, FLOW_RUN_STATES, params.id, query);
  });
  mountRoute(app, routes.heartbeatFlowRun, async ({ params }) => {
    const now = new Date();
    const result = await heartbeatFlowRun(database, params.id, now);
    // A claimed run still starting (its worker heartbeats it) keeps its lease.
    if (result.state_type === "PENDING") await extendLease(database, params.id, now);
    return result;
  });
}
