import { z } from "zod";
import { ARTIFACT_KEY_PATTERN, ARTIFACT_KEY_RULE, ARTIFACT_MAX_DESCRIPTION, ARTIFACT_MAX_TABLE_ROWS, ARTIFACT_TYPES } from "../artifacts/limits.js";
import { IdParamsSchema, IdSchema, PageQuerySchema, TimestampSchema, pageOf } from "./common.js";
import { def } from "./route-def.js";

/**
 * Artifacts (issue 15 part 6): what flow code publishes for people to read on the run page and
 * the artifacts page: markdown, tables, links and progress. An artifact belongs to a flow run
 * (and maybe one of its task runs) and goes with it; one with a key is a version of that key,
 * the newest being the key's current value.
 */
export const ArtifactKeySchema = z.string().regex(ARTIFACT_KEY_PATTERN, ARTIFACT_KEY_RULE);

/** Only web links: a `javascript:` or `data:` URL would run in the page of whoever clicks it. */
const WebUrl = z
  .string()
  .max(2000)
  .url("must be a URL")
  .refine((u) => /^https?:\/\//i.test(u), "must start with http:// or https://");

const TableData = z.object({
  columns: z.array(z.string().max(200)).max(200),
  rows: z.array(z.record(z.string(), z.unknown())).max(ARTIFACT_MAX_TABLE_ROWS, `a table artifact holds at most ${ARTIFACT_MAX_TABLE_ROWS} rows`),
});

/** The data of each type, as stored and returned. */
export const ArtifactDataSchemas = {
  markdown: z.string(),
  table: TableData,
  link: z.object({ url: WebUrl, text: z.string().max(500).nullable().default(null) }),
  progress: z.number().min(0, "progress is a percentage from 0 to 100").max(100, "progress is a percentage from 0 to 100"),
} as const;

const common = {
  key: ArtifactKeySchema.optional(),
  description: z.string().max(ARTIFACT_MAX_DESCRIPTION).optional(),
  flow_run_id: IdSchema,
  task_run_id: IdSchema.optional(),
};

export const ArtifactCreateSchema = z.discriminatedUnion("type", [
  z.object({ ...common, type: z.literal("markdown"), data: ArtifactDataSchemas.markdown }).strict(),
  z.object({ ...common, type: z.literal("table"), data: ArtifactDataSchemas.table }).strict(),
  z.object({ ...common, type: z.literal("link"), data: ArtifactDataSchemas.link }).strict(),
  z.object({ ...common, type: z.literal("progress"), data: ArtifactDataSchemas.progress }).strict(),
]);
export type ArtifactCreate = z.input<typeof ArtifactCreateSchema>;

/** A new value for an artifact's data (checked against the artifact's type), as updateProgressArtifact sends. */
export const ArtifactUpdateSchema = z.object({ data: z.unknown(), description: z.string().max(ARTIFACT_MAX_DESCRIPTION).optional() }).strict();

export const ArtifactSchema = z.object({
  id: z.string(),
  key: z.string().nullable(),
  type: z.enum(ARTIFACT_TYPES),
  description: z.string().nullable(),
  data: z.unknown(),
  flow_run_id: z.string(),
  task_run_id: z.string().nullable(),
  /** The run's name and flow, for lists that show artifacts of many runs. */
  flow_run_name: z.string().nullable(),
  flow_name: z.string().nullable(),
  created: TimestampSchema,
  updated: TimestampSchema,
});
export type Artifact = z.infer<typeof ArtifactSchema>;

export const ArtifactListQuerySchema = PageQuerySchema.extend({
  key: ArtifactKeySchema.optional(),
  flow_run_id: IdSchema.optional(),
  task_run_id: IdSchema.optional(),
  type: z.enum(ARTIFACT_TYPES).optional(),
  /** Only each key's newest version (keyless artifacts are left out): the artifacts page. */
  latest: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});
export type ArtifactListQuery = z.input<typeof ArtifactListQuerySchema>;

export const artifactRoutes = {
  createArtifact: def({ method: "POST", path: "/artifacts", permission: "work", summary: "Publish an artifact of a flow run (a new version when its key exists)", body: ArtifactCreateSchema, status: 201, response: ArtifactSchema }),
  updateArtifact: def({ method: "PATCH", path: "/artifacts/:id", permission: "work", summary: "Change an artifact's data (a progress artifact's percentage)", params: IdParamsSchema, body: ArtifactUpdateSchema, status: 200, response: ArtifactSchema }),
  listArtifacts: def({ method: "GET", path: "/artifacts", permission: "read", summary: "List artifacts, newest first: of a run, of a key (its versions), or each key's latest", query: ArtifactListQuerySchema, status: 200, response: pageOf(ArtifactSchema) }),
  readArtifact: def({ method: "GET", path: "/artifacts/:id", permission: "read", summary: "Read one artifact", params: IdParamsSchema, status: 200, response: ArtifactSchema }),
  deleteArtifact: def({ method: "DELETE", path: "/artifacts/:id", permission: "run", summary: "Delete one artifact (one version of its key)", params: IdParamsSchema, status: 204, response: z.null() }),
} as const;
