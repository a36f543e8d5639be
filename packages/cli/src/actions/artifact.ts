import { z } from "zod";
import { ARTIFACT_KEY_PATTERN, ARTIFACT_KEY_RULE, ARTIFACT_TYPES, MAX_PAGE_SIZE, NotFoundError, type Artifact } from "@baton/core";
import { allPages } from "baton";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { listLimitOption, parseOptions } from "../options.js";
import { firstItems } from "../list.js";
import { formatTime } from "../output/format.js";
import { renderFields, renderTable } from "../output/table.js";
import { confirmRemoval } from "../prompt/confirm.js";

const JsonOption = z.object({ json: z.boolean().default(false) });
const ListOptions = JsonOption.extend({ flowRun: z.string().uuid("must be a flow run's ID").optional(), type: z.enum(ARTIFACT_TYPES).optional(), all: z.boolean().default(false), limit: listLimitOption() });

class ArtifactKeyNotFound extends NotFoundError {
  override readonly code = "ArtifactKeyNotFound";
  constructor(key: string) {
    super(`ArtifactKeyNotFound: no artifact with key "${key}"; list the keys with baton artifact ls`);
  }
}

function artifactKey(key: string): string {
  if (!ARTIFACT_KEY_PATTERN.test(key)) throw new UsageError(`artifact key "${key}": ${ARTIFACT_KEY_RULE}`);
  return key;
}

/** One line of what an artifact holds, for tables. */
function preview(a: Artifact): string {
  const data = a.data as never;
  const text =
    a.type === "markdown" ? String(data).replace(/\s+/g, " ") :
    a.type === "table" ? `${(data as { rows: unknown[] }).rows.length} row(s)` :
    a.type === "link" ? (data as { url: string }).url :
    `${Math.round(Number(data))}%`;
  return text.length > 50 ? `${text.slice(0, 49)}…` : text;
}

const HEADERS = ["KEY", "TYPE", "FLOW RUN", "CREATED", "DATA"];
const rows = (items: Artifact[]) => items.map((a) => [a.key ?? "-", a.type, a.flow_run_name ?? a.flow_run_id, formatTime(a.created), preview(a)]);

async function versionsOf(ctx: CommandContext, key: string) {
  const client = await ctx.client();
  return allPages((cursor) => client.call("listArtifacts", { query: { key, limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } as never }));
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(ListOptions, raw);
  const client = await ctx.client();
  const latest = !options.flowRun && !options.all;
  const query = { limit: MAX_PAGE_SIZE, latest: latest ? "true" : "false", ...(options.flowRun ? { flow_run_id: options.flowRun } : {}), ...(options.type ? { type: options.type } : {}) };
  const items = await firstItems(out, options.limit, (cursor) => client.call("listArtifacts", { query: { ...query, ...(cursor ? { cursor } : {}) } as never }));
  if (options.json) return out.json(items);
  if (items.length === 0) return out.note("No artifacts; flow code publishes them with createMarkdownArtifact(...), createTableArtifact(...), ...");
  out.line(renderTable(HEADERS, rows(items)));
}

export async function inspectCommand(ctx: CommandContext, key: string, raw: unknown) {
  const { out } = ctx;
  const options = parseOptions(JsonOption, raw);
  const versions = await versionsOf(ctx, artifactKey(key));
  const latest = versions[0];
  if (!latest) throw new ArtifactKeyNotFound(key);
  if (options.json) return out.json({ latest, versions });
  out.line(renderFields([["Key", key], ["Type", latest.type], ["Flow run", `${latest.flow_run_name ?? ""} (${latest.flow_run_id})`], ["Created", formatTime(latest.created)], ["Description", latest.description ?? "-"]]));
  out.line(typeof latest.data === "string" ? latest.data : JSON.stringify(latest.data, null, 2));
  out.line(`\n${versions.length} version(s):`);
  out.line(renderTable(["ID", "FLOW RUN", "CREATED"], versions.map((v) => [v.id, v.flow_run_name ?? v.flow_run_id, formatTime(v.created)])));
}

export async function deleteCommand(ctx: CommandContext, key: string, raw: unknown) {
  const versions = await versionsOf(ctx, artifactKey(key));
  if (versions.length === 0) throw new ArtifactKeyNotFound(key);
  await confirmRemoval(`Delete ${versions.length} version(s) of artifact '${key}'?`, raw);
  const client = await ctx.client();
  for (const version of versions) await client.call("deleteArtifact", { params: { id: version.id } });
  ctx.out.result(versions, () => ctx.out.line(`Deleted ${versions.length} version(s) of artifact '${key}'`));
}
