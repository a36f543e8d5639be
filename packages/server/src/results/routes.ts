import { Readable } from "node:stream";
import { BatonError, routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { ResultTooLarge } from "./errors.js";
import { openStoredResult, readStoredResult, writeStoredResult, writeStoredResultStream } from "./repository.js";

/** Room for the JSON around the base64 text ({"content_base64": "..."}, spaces a client may add). */
const ENVELOPE_BYTES = 64 * 1024;

/** The largest request body that can hold a result of `maxBytes` (base64: 4 characters per 3 bytes). */
export const resultBodyLimit = (maxBytes: number): number => Math.ceil(maxBytes / 3) * 4 + ENVELOPE_BYTES;

export class ResultBytesExpected extends BatonError {
  override readonly code = "UnsupportedMediaType";
  override readonly status = 415;
  constructor(contentType: string | undefined) {
    super(
      `UnsupportedMediaType: PUT /results/:owner/:key/content takes the result's bytes as the body with content-type application/octet-stream, not ${contentType ?? "no content-type"}; ` +
        `to send it as JSON ({"content_base64": ...}) use PUT /results/:owner/:key`,
    );
  }
}

/**
 * Result storage on the server (`resultStorage: "server"` in flow code); see @baton/core api/results.ts.
 * Raw bytes (the `/content` routes) stream between the socket and the database a chunk at a time.
 * The JSON form's body may weigh what a result of the limit needs, no more. Either form announced
 * larger than the limit is refused from its length, before the server reads it, with the message
 * the stored limit gives.
 */
export function resultRoutes(context: RouteContext, maxBytes: number): void {
  const { app, database } = context;
  const bodyLimit = resultBodyLimit(maxBytes);
  mountRoute(app, routes.readResult, ({ params }) => readStoredResult(database.db, params.owner, params.key));
  mountRoute(app, routes.writeResult, ({ params, body }) => writeStoredResult(database.db, params.owner, params.key, Buffer.from(body.content_base64, "base64"), maxBytes, new Date()), {
    bodyLimit,
    preParsing: async (request) => {
      const length = Number(request.headers["content-length"]);
      if (length > bodyLimit) throw new ResultTooLarge(Math.floor((length * 3) / 4), maxBytes, "about");
    },
  });
  // Its own plugin scope: only these routes take application/octet-stream, as a stream.
  app.register(async (scope) => rawResultRoutes({ ...context, app: scope }, maxBytes));
}

function rawResultRoutes({ app, database }: RouteContext, maxBytes: number): void {
  app.addContentTypeParser("application/octet-stream", (_request, payload, done) => done(null, payload));
  mountRoute(app, routes.readResultContent, async ({ params, reply }) => {
    const { size, chunks } = await openStoredResult(database.db, params.owner, params.key);
    reply.header("content-type", "application/octet-stream").header("content-length", size);
    // A result replaced while it streams out ends the stream with an error: the client sees
    // fewer bytes than Content-Length announced, never a mix of two results.
    return Readable.from(chunks, { objectMode: false }) as never;
  });
  mountRoute(
    app,
    routes.writeResultContent,
    async ({ params, request, reply }) => {
      if (!(request.body instanceof Readable)) throw new ResultBytesExpected(request.headers["content-type"]);
      try {
        return await writeStoredResultStream(database, params.owner, params.key, request.body, maxBytes, new Date());
      } catch (error) {
        // The rest of the body is not read: the connection cannot carry another request.
        if (error instanceof ResultTooLarge) reply.header("connection", "close");
        throw error;
      }
    },
    {
      preParsing: async (request, reply) => {
        const length = Number(request.headers["content-length"]);
        if (length > maxBytes) {
          reply.header("connection", "close");
          throw new ResultTooLarge(length, maxBytes, "exact", "body");
        }
      },
    },
  );
}
