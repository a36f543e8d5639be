import { z } from "zod";
import { MAX_TAG_LENGTH, MAX_TAGS } from "../names.js";

export const IdSchema = z.string().uuid({ message: "must be a UUID" });
/**
 * The start of an ID, as a user types it (`baton flow-run inspect 0190c0de`): at least 8 of its
 * characters, so a prefix names one thing in all but the largest databases; lower-cased.
 */
export const IdPrefixSchema = z
  .string()
  .regex(/^[0-9a-fA-F-]{8,36}$/, "must be the first 8 to 36 characters of an ID (hex digits and '-')")
  .transform((v) => v.toLowerCase());
export const TimestampSchema = z.string().datetime({ offset: true, message: "must be an ISO-8601 timestamp" });
export const TagsSchema = z.array(z.string().min(1).max(MAX_TAG_LENGTH)).max(MAX_TAGS);
/** Any JSON value; stored as JSON text. */
export const JsonValueSchema: z.ZodType<unknown> = z.unknown();

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

/** Every list is paginated: `limit` rows at most, and `cursor` to fetch the next page. */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  /** Opaque: the `next_cursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() });
}
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export const IdParamsSchema = z.object({ id: IdSchema });

export const HealthSchema = z.object({ status: z.literal("ok") });
export const ReadySchema = z.object({ status: z.literal("ready"), database: z.enum(["sqlite", "postgresql"]) });
export const VersionSchema = z.object({
  version: z.string(),
  api_version: z.string(),
  database: z.enum(["sqlite", "postgresql"]),
});
export type VersionInfo = z.infer<typeof VersionSchema>;

export const ErrorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

// Below api/ and project/ both (baton.yaml names them too): see ../resource-name.ts.
export { ResourceNameSchema } from "../resource-name.js";
