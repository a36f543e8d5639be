import { z } from "zod";
import { IdSchema } from "./common.js";
import { def } from "./route-def.js";

/**
 * Result storage on the Baton server (issue 16 part 1): persisted task results and cache entries
 * that every pod reads, with no service beside Baton. A result belongs to a flow run (`owner` is
 * its ID: persisted results, scoped like the run) or to the shared cache (`owner` is `cache`).
 * The content is the serialized result, base64 in JSON, up to the server's limit per result.
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
export type StoredResultBlob = z.infer<typeof ResultSchema>;

export const resultRoutes = {
  readResult: def({ method: "GET", path: "/results/:owner/:key", permission: "read", summary: "Read a stored result (a flow run's persisted result, or a cache entry)", params: ResultParamsSchema, status: 200, response: ResultSchema }),
  writeResult: def({ method: "PUT", path: "/results/:owner/:key", permission: "work", summary: "Store a result (a flow run's persisted result, or a cache entry), replacing one of the same key", params: ResultParamsSchema, body: ResultWriteSchema, status: 200, response: ResultWrittenSchema }),
};
