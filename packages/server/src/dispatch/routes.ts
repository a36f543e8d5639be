import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { claimKeyId } from "../auth/claims.js";
import { signRunToken } from "../auth/run-tokens/issue.js";
import { cancelFlowRun } from "./cancel.js";
import { claimWithWait } from "./long-poll.js";
import type { DispatchNotifier } from "../wake-up/notifier.js";
import { whyFlowRun } from "./why.js";

export function dispatchRoutes({ app, database }: RouteContext, notifier: DispatchNotifier): void {
  mountRoute(app, routes.claimFlowRuns, async ({ params, body, reply, request }) => {
    // A worker that goes away stops the wait; its claim, if any, would just lapse with its lease.
    const gone = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) gone.abort();
    };
    reply.raw.once("close", onClose);
    try {
      const claimed = await claimWithWait(database, notifier, params.name, { ...body, claim_key_id: claimKeyId(request.principal) }, gone.signal);
      // This request made each of these claims, so it holds them: what createRunToken checks.
      return { flow_runs: body.run_tokens ? claimed.map((run) => ({ ...run, run_token: signRunToken(database, run.flow_run.id, run.claim_id ?? null) })) : claimed };
    } finally {
      reply.raw.off("close", onClose);
    }
  });
  // A slot freed by the cancel wakes the pool's claims on every replica: the road sees to it.
  mountRoute(app, routes.cancelFlowRun, ({ params }) => cancelFlowRun(database, params.id, new Date()));
  mountRoute(app, routes.whyFlowRun, ({ params }) => whyFlowRun(database.db, params.id, new Date()));
}
