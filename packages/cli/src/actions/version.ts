import { z } from "zod";
import { API_VERSION, BATON_VERSION, type VersionInfo } from "@baton/core";
import { localDatabaseUrl } from "baton";
import type { CommandContext } from "../context.js";
import { parseOptions } from "../options.js";
import { renderFields } from "../output/table.js";

const VersionOptions = z.object({ json: z.boolean().default(false) });

/** A version check must answer quickly even when the server is a black hole. */
const SERVER_TIMEOUT_MS = 5000;

async function describeLocalDatabase(url: string): Promise<string> {
  const { redactDatabaseUrl } = await import("@baton/server");
  return redactDatabaseUrl(url);
}

export async function versionCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(VersionOptions, raw);
  const settings = ctx.settings();
  const apiUrl = settings.get("BATON_API_URL");
  let server: VersionInfo | null = null;
  let serverError: string | null = null;
  // Without a server, runs are recorded in-process by this same code: asking it would only
  // create the local database as a side effect, so it is described instead of called.
  const target = apiUrl ?? `local database ${await describeLocalDatabase(localDatabaseUrl(settings))} (no server; runs are recorded in-process)`;
  if (apiUrl) {
    try {
      const client = await ctx.client();
      server = await client.call("version", {}, AbortSignal.timeout(SERVER_TIMEOUT_MS));
    } catch (error) {
      const aborted = error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
      serverError = aborted ? `no answer within ${SERVER_TIMEOUT_MS / 1000}s` : error instanceof Error ? error.message : String(error);
    }
  }
  const info = {
    version: BATON_VERSION,
    api_version: API_VERSION,
    node: process.version,
    profile: settings.profileName,
    api_target: target,
    server,
    ...(serverError ? { server_error: serverError } : {}),
  };
  if (options.json) return ctx.out.json(info);
  const serverLine = server
    ? `${server.version} (API ${server.api_version}, ${server.database})`
    : apiUrl
      ? ctx.out.colors.red(`unreachable: ${serverError}`)
      : `in-process, same version`;
  ctx.out.line(
    renderFields([
      ["Version", BATON_VERSION],
      ["API version", API_VERSION],
      ["Node", process.version],
      ["Profile", settings.profileName],
      ["API target", target],
      ["Server", serverLine],
    ]),
  );
}
