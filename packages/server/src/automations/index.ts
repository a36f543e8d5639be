import type { FastifyBaseLogger } from "fastify";
import type { OutboxReaders } from "../notifications/service.js";
import type { ActionContext } from "./actions.js";
import { automationPass } from "./service.js";
import { stateTriggers } from "./triggers.js";

export { automationRoutes } from "./routes.js";

/** The automations as readers of the notifications' outbox: state triggers on its events, the rest each pass. */
export function automationReaders(ctx: ActionContext, log: FastifyBaseLogger, uiUrl: string | undefined): OutboxReaders {
  return { consumers: [stateTriggers(uiUrl)], eachPass: (stopped) => automationPass(ctx, log, uiUrl, stopped) };
}
