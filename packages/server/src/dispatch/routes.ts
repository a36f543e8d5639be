import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { cancelFlowRun } from "./cancel.js";
import { claimWithWait } from "./long-poll.js";
import type { DispatchNotifier } from "./notifier.js";
import { whyFlowRun } from "./why.js";

export function dispatchRoutes({ app, database }: RouteContext, notifier: DispatchNotifier): void {
  mountRoute(app, routes.claimFlowRuns, async ({ params, body, reply }) => {
    // A worker that goes away stops the wait; its claim, if any, would just lapse with its lease.
    const gone = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) gone.abort();
    };
    reply.raw.once("close", onClose);
    try {
      return { flow_runs: await claimWithWait(database, notifier, params.name, body, gone.signal) };
    } finally {
      reply.raw.off("close", onClose);
    }
  });
  mountRoute(app, routes.cancelFlowRun, async ({ params }) => {
    const { result, work_pool_name } = await cancelFlowRun(database, params.id, new Date());
    // A slot may be free now.
    notifier.wake(work_pool_name);
    return result;
  });
  mountRoute(app, routes.whyFlowRun, ({ params }) => whyFlowRun(database.db, params.id, new Date()));
}
