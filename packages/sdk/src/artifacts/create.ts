import { MissingRunContextError } from "../errors/index.js";
import { ARTIFACT_KEY_PATTERN, ARTIFACT_KEY_RULE, ValidationError, checkArtifactSize, normalizeTable, type ArtifactTableInput } from "@baton/core/runtime";
import { currentFlowFrame, currentFrame } from "../context/run-context.js";

export interface ArtifactOptions {
  /** A key keeps the artifact's history: each call with it makes the key's new current version (lowercase letters, digits, dashes). */
  key?: string;
  /** Shown under the artifact's title (markdown is not rendered here). */
  description?: string;
}

type Kind = "markdown" | "table" | "link" | "progress";

async function publish(type: Kind, data: unknown, options: ArtifactOptions, call: string): Promise<string> {
  const frame = currentFrame();
  const flow = currentFlowFrame();
  if (!frame || !flow) {
    throw new MissingRunContextError(`MissingRunContext: ${call} was called outside a flow run; an artifact belongs to a run: call it from a flow or a task`);
  }
  if (options.key !== undefined && !ARTIFACT_KEY_PATTERN.test(options.key)) {
    throw new ValidationError(`ValidationError: ${call}: key "${options.key}": ${ARTIFACT_KEY_RULE}`, [{ path: "key", message: ARTIFACT_KEY_RULE }]);
  }
  // Checked here too, so the error's stack points at the line that made the artifact.
  checkArtifactSize(type, options.key, data);
  const created = await flow.client.call("createArtifact", {
    body: {
      type,
      data,
      flow_run_id: flow.id,
      ...(frame.kind === "task" ? { task_run_id: frame.id } : {}),
      ...(options.key !== undefined ? { key: options.key } : {}),
      ...(options.description !== undefined ? { description: options.description } : {}),
    } as never,
  });
  return created.id;
}

/**
 * Publishes markdown on the run's page (and, with a key, on the artifacts page); returns its id.
 * Rendered as markdown (tables, lists, links), never as raw HTML.
 *
 * ```ts
 * await createMarkdownArtifact(`# Loaded ${rows} rows\n\n| table | rows |\n|---|---|\n| users | ${rows} |`, { key: "etl-report" });
 * ```
 */
export function createMarkdownArtifact(markdown: string, options: ArtifactOptions = {}): Promise<string> {
  return publish("markdown", String(markdown), options, "createMarkdownArtifact");
}

/**
 * Publishes a table: rows of objects, an object of columns, or rows of arrays whose first row is
 * the header (Prefect's three shapes). Returns its id.
 *
 * ```ts
 * await createTableArtifact([{ region: "eu", rows: 120 }, { region: "us", rows: 98 }], { key: "rows-by-region" });
 * ```
 */
export function createTableArtifact(table: ArtifactTableInput, options: ArtifactOptions = {}): Promise<string> {
  return publish("table", normalizeTable(table), options, "createTableArtifact");
}

/**
 * Publishes a link (http or https) with an optional text. Returns its id.
 *
 * ```ts
 * await createLinkArtifact("https://dashboards.example.com/etl", { linkText: "ETL dashboard", key: "etl-dashboard" });
 * ```
 */
export function createLinkArtifact(url: string, options: ArtifactOptions & { linkText?: string } = {}): Promise<string> {
  return publish("link", { url, text: options.linkText ?? null }, options, "createLinkArtifact");
}

/**
 * Publishes a progress bar (0 to 100) that updateProgressArtifact moves. Returns its id.
 *
 * ```ts
 * const progress = await createProgressArtifact(0, { description: "files loaded" });
 * for (const [i, file] of files.entries()) { await load(file); await updateProgressArtifact(progress, ((i + 1) / files.length) * 100); }
 * ```
 */
export function createProgressArtifact(progress: number, options: ArtifactOptions = {}): Promise<string> {
  return publish("progress", progress, options, "createProgressArtifact");
}

/** Moves a progress artifact made by createProgressArtifact (0 to 100). */
export async function updateProgressArtifact(artifactId: string, progress: number): Promise<void> {
  const flow = currentFlowFrame();
  if (!flow) throw new MissingRunContextError("MissingRunContext: updateProgressArtifact was called outside a flow run; call it from the flow or task that made the artifact");
  await flow.client.call("updateArtifact", { params: { id: artifactId }, body: { data: progress } });
}
