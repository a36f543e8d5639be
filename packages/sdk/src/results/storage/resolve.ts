import type { BatonClient } from "../../client/index.js";
import { localStorage } from "./local.js";
import { serverStorage } from "./server.js";
import { InvalidResultStorage, s3Storage } from "./s3.js";
import type { ResultSettings, ResultStorage, ResultStorageSpec } from "./types.js";

export type { ResultSettings, ResultStorageSpec } from "./types.js";

const made = new WeakMap<BatonClient, Map<string, ResultStorage>>();

/** Reads a Baton secret with the run's credential (getSecret), passed in: flow-code values sit above the results. */
export type SecretReader = (name: string) => Promise<string>;

/** The storage a spec names, made once per client and spec (an S3 client is reused across tasks). */
export function resolveStorage(spec: ResultStorageSpec | undefined, settings: ResultSettings, client: BatonClient, readSecret: SecretReader): ResultStorage {
  const wanted = spec ?? (settings.storage as ResultStorageSpec);
  if (typeof wanted !== "string") return wanted;
  let byClient = made.get(client);
  if (!byClient) made.set(client, (byClient = new Map()));
  const key = wanted === "local" ? `local:${settings.dir}` : wanted;
  let storage = byClient.get(key);
  if (!storage) byClient.set(key, (storage = make(wanted, settings, client, readSecret)));
  return storage;
}

function make(spec: string, settings: ResultSettings, client: BatonClient, readSecret: SecretReader): ResultStorage {
  if (spec === "local") return localStorage(settings.dir);
  if (spec === "server") return serverStorage(client);
  if (spec.startsWith("s3://")) {
    const secret = settings.s3CredentialsSecret;
    return s3Storage({
      url: spec,
      endpoint: settings.s3Endpoint,
      region: settings.s3Region,
      // From a Baton secret (read with the run's credential, within its scope), when named.
      ...(secret ? { credentials: async () => s3Credentials(secret, await readSecret(secret)) } : {}),
    });
  }
  throw new InvalidResultStorage(`InvalidResultStorage: resultStorage "${spec}": use "local", "server" or "s3://bucket[/prefix]" (or a ResultStorage object)`);
}

function s3Credentials(name: string, text: string): { accessKeyId: string; secretAccessKey: string; sessionToken?: string } {
  let value: { access_key_id?: unknown; secret_access_key?: unknown; session_token?: unknown };
  try {
    value = JSON.parse(text);
  } catch {
    value = {};
  }
  if (typeof value.access_key_id !== "string" || typeof value.secret_access_key !== "string") {
    throw new InvalidResultStorage(`InvalidResultStorage: secret "${name}" (BATON_RESULTS_S3_CREDENTIALS_SECRET) must hold {"access_key_id": "...", "secret_access_key": "..."} as JSON`);
  }
  return { accessKeyId: value.access_key_id, secretAccessKey: value.secret_access_key, ...(typeof value.session_token === "string" ? { sessionToken: value.session_token } : {}) };
}
