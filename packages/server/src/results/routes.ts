import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { ResultTooLarge } from "./errors.js";
import { readStoredResult, writeStoredResult } from "./repository.js";

/** Room for the JSON around the base64 text ({"content_base64": "..."}, spaces a client may add). */
const ENVELOPE_BYTES = 64 * 1024;

/** The largest request body that can hold a result of `maxBytes` (base64: 4 characters per 3 bytes). */
export const resultBodyLimit = (maxBytes: number): number => Math.ceil(maxBytes / 3) * 4 + ENVELOPE_BYTES;

/**
 * Result storage on the server (`resultStorage: "server"` in flow code); see @baton/core api/results.ts.
 * A write's body may weigh what a result of the limit needs, no more: one announced larger is
 * refused from its length, before the server reads it, with the message the stored limit gives.
 */
export function resultRoutes({ app, database }: RouteContext, maxBytes: number): void {
  const bodyLimit = resultBodyLimit(maxBytes);
  mountRoute(app, routes.readResult, ({ params }) => readStoredResult(database.db, params.owner, params.key));
  mountRoute(app, routes.writeResult, ({ params, body }) => writeStoredResult(database.db, params.owner, params.key, body.content_base64, maxBytes, new Date()), {
    bodyLimit,
    preParsing: async (request) => {
      const length = Number(request.headers["content-length"]);
      if (length > bodyLimit) throw new ResultTooLarge(Math.floor((length * 3) / 4), maxBytes, true);
    },
  });
}
