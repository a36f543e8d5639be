import { z } from "zod";
import { IdSchema } from "./common.js";
import { def } from "./route-def.js";

/**
 * Result storage on the Baton server (issue 16 part 1): persisted task results and cache entries
 * that every pod reads, with no service beside Baton. A result belongs to a flow run (`owner` is
 * its ID: persisted results, scoped like the run) or to the shared cache (`owner` is `cache`).
 * The content is the serialized result, up to the server's limit per result: raw bytes
 * (`application/octet-stream`) on the `/content` routes, streamed in and out so a large result is
 * never held whole in memory; or base64 in JSON on the first two routes (the form older clients
 * use, kept: it holds the result in memory, several times over).
 */
export const ResultOwnerSchema = z.union([z.literal("cache"), IdSchema]);
export const ResultKeySchema = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[A-Za-z0-9_.-]+$/, "use letters, digits, '.', '-' and '_'");
export const ResultParamsSchema = z.object({ owner: ResultOwnerSchema, key: ResultKeySchema });

export const ResultWriteSchema = z.object({ content_base64: z.base64() }).strict();
export const ResultSchema = z.object({ owner: z.string(), key: z.string(), size: z.number().int(), content_base64: z.string(), created: z.string() });
export const ResultWrittenSchema = z.object({ owner: z.string(), key: z.string(), size: z.number().int() });
/** The raw routes' bodies are bytes, not JSON: these describe them for the OpenAPI document. */
export const ResultBytesSchema = z.any().describe("the stored bytes (application/octet-stream)");
export type StoredResultBlob = z.infer<typeof ResultSchema>;

export const resultRoutes = {
  readResult: def({ method: "GET", path: "/results/:owner/:key", permission: "read", summary: "Read a stored result (a flow run's persisted result, or a cache entry)", params: ResultParamsSchema, status: 200, response: ResultSchema }),
  writeResult: def({ method: "PUT", path: "/results/:owner/:key", permission: "work", summary: "Store a result (a flow run's persisted result, or a cache entry), replacing one of the same key", params: ResultParamsSchema, body: ResultWriteSchema, status: 200, response: ResultWrittenSchema }),
  readResultContent: def({ method: "GET", path: "/results/:owner/:key/content", permission: "read", summary: "Read a stored result's bytes, streamed (application/octet-stream; Content-Length is its size)", params: ResultParamsSchema, status: 200, response: ResultBytesSchema }),
  writeResultContent: def({ method: "PUT", path: "/results/:owner/:key/content", permission: "work", summary: "Store a result from its bytes, streamed (a body of application/octet-stream), replacing one of the same key; over the size limit: 413 and nothing stored", params: ResultParamsSchema, status: 200, response: ResultWrittenSchema }),
};
