import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { assertMayForce } from "../auth/claims.js";
import { mountRoute } from "../http/mount.js";
import { FLOW_RUN_STATES, listStates } from "../states/repository.js";
import { createFlowRun, deleteFlowRun, heartbeatFlowRun, listFlowRuns, readFlowRun, readFlowRunRow } from "./repository.js";
import { countFlowRuns } from "./count.js";
import { extendLease } from "./lease.js";
import { recordTraceparent, traceparentOf } from "./trace-context.js";
import { setFlowRunState } from "./set-state.js";
import { waitForFinalRun, type RunStateFeed } from "./wait.js";

export function flowRunRoutes({ app, database }: RouteContext, feed: RunStateFeed): void {
  mountRoute(app, routes.createFlowRun, async ({ body, request }) => recordTraceparent(database, await createFlowRun(database, body, new Date()), traceparentOf(request)));
  mountRoute(app, routes.listFlowRuns, ({ query }) => listFlowRuns(database, query));
  mountRoute(app, routes.countFlowRuns, ({ query }) => countFlowRuns(database, query));
  mountRoute(app, routes.readFlowRun, ({ params }) => readFlowRun(database.db, params.id));
  mountRoute(app, routes.waitForFlowRun, async ({ params, query, reply }) => {
    // A client that goes away ends the wait: nothing holds the run's feed for it.
    const gone = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) gone.abort();
    };
    reply.raw.once("close", onClose);
    try {
      return await waitForFinalRun(database, feed, params.id, query.wait_seconds, gone.signal);
    } finally {
      reply.raw.off("close", onClose);
    }
  });
  mountRoute(app, routes.deleteFlowRun, async ({ params }) => {
    await deleteFlowRun(database, params.id);
    return null;
  });
  mountRoute(app, routes.setFlowRunState, async ({ params, body, request }) => {
    if (body.force) await assertMayForce(database, request.principal, params.id);
    // A run's own process proposes under the claim its token was made for (its subflow runs have no claim).
    const principal = request.principal;
    const claimId = body.claim_id ?? (principal?.kind === "run_token" && principal.flow_run_id === params.id ? principal.claim_id : undefined);
    // The road wakes the pool's waiting claims when the run is claimable again or frees a slot.
    return setFlowRunState(database, params.id, body, new Date(), claimId);
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
