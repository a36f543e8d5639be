import { join } from "node:path";
import type { Transport } from "@baton/core";
import { BatonError } from "@baton/core/runtime";
import { loadSettings, type Settings } from "../settings/index.js";
import { BatonClient } from "./client.js";

export class LocalServerUnavailable extends BatonError {
  override readonly code = "LocalServerUnavailable";
}

/** The database a local (server-less) run records into: the same one `baton server start` opens. */
export function localDatabaseUrl(settings: Settings): string {
  return settings.get("BATON_SERVER_DATABASE_URL") ?? `sqlite://${join(settings.home, "baton.db")}`;
}

/**
 * With no BATON_API_URL, runs are recorded in the local database through the server's
 * code running in this process (no port opened), so `baton server start` shows them later.
 * The server package is an optional peer: a flow image that always talks to a server
 * does not need it.
 */
async function openInProcessTransport(settings: Settings): Promise<Transport> {
  let server: { openInProcessTransport(options: { databaseUrl: string }): Promise<Transport> };
  try {
    const name = "@baton/server";
    server = (await import(name)) as typeof server;
  } catch (error) {
    throw new LocalServerUnavailable(
      "LocalServerUnavailable: BATON_API_URL is not set and @baton/server is not installed to record runs locally; " +
        "set BATON_API_URL to your Baton server (baton config set BATON_API_URL=http://host:4200/api) or install @baton/server",
      { cause: error },
    );
  }
  return server.openInProcessTransport({ databaseUrl: localDatabaseUrl(settings) });
}

/**
 * How a client reaches the server according to the settings (which CA to trust, whether to skip
 * verification, how long a request may take), whatever credential it then sends: a worker's
 * client for a run's token takes the same.
 */
export function connectionSettings(settings: Settings): { caFile?: string; caPem?: string; insecureSkipVerify: boolean; timeoutMs: number } {
  const caFile = settings.get("BATON_API_SSL_CERT_FILE");
  const caPem = settings.get("BATON_API_SSL_CERT");
  return {
    ...(caFile ? { caFile } : {}),
    ...(caPem ? { caPem } : {}),
    insecureSkipVerify: settings.get("BATON_API_TLS_INSECURE_SKIP_VERIFY") ?? false,
    timeoutMs: (settings.get("BATON_API_REQUEST_TIMEOUT_SECONDS") ?? 60) * 1000,
  };
}

export async function createClientFromSettings(settings: Settings = loadSettings()): Promise<BatonClient> {
  const apiUrl = settings.get("BATON_API_URL");
  if (!apiUrl) return new BatonClient({ transport: await openInProcessTransport(settings) });
  const apiKey = settings.get("BATON_API_KEY");
  const authString = settings.get("BATON_API_AUTH_STRING");
  return new BatonClient({ apiUrl, ...(apiKey ? { apiKey } : {}), ...(authString ? { authString } : {}), ...connectionSettings(settings) });
}

let shared: Promise<BatonClient> | undefined;

/** The client for this process, from the settings; made once and shared. */
export function getClient(): Promise<BatonClient> {
  shared ??= createClientFromSettings();
  return shared;
}

/** Close the shared client (flushes nothing: the engine flushes its own reports first). */
export async function closeSharedClient(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current) await (await current).close();
}
