import type { ClaimedRun } from "@baton/core";
import { ApiError } from "@baton/core/runtime";
import { BatonClient, connectionSettings, loadSettings, readCaFile } from "baton";
import type { Infrastructure, LaunchContext, LaunchedRun, RunExit } from "../infrastructure.js";

/** The worker's own HTTP client settings (TLS) for a client that sends a run's token instead of the worker's key. */
function clientWithToken(apiUrl: string, token: string): BatonClient {
  return new BatonClient({ apiUrl, apiKey: token, ...connectionSettings(loadSettings()) });
}

/**
 * How a run trusts the server the way its worker does. A run in a container does not see the
 * worker's CA file, so the CA travels as text (BATON_API_SSL_CERT; a Kubernetes run gets it through
 * the Secret the worker owns, like its token).
 */
export function tlsTrustForRuns(): Record<string, string> {
  const settings = loadSettings();
  const caFile = settings.get("BATON_API_SSL_CERT_FILE");
  const pem = [caFile ? readCaFile(caFile).toString("utf8") : undefined, settings.get("BATON_API_SSL_CERT")].filter(Boolean).join("\n");
  return {
    ...(pem ? { BATON_API_SSL_CERT: pem } : {}),
    ...(settings.get("BATON_API_TLS_INSECURE_SKIP_VERIFY") ? { BATON_API_TLS_INSECURE_SKIP_VERIFY: "true" } : {}),
  };
}

/**
 * Wraps the pool's infrastructure so each launch gets the run's own credential: the run token its
 * claim brought (`run_tokens`), else one the worker asks for (POST /flow_runs/:id/token); the
 * run's environment gets BATON_API_KEY=<run token>. The worker's key (or BATON_API_AUTH_STRING) never reaches a run.
 * Secrets in the job configuration are read with that token too, so the server hands the worker
 * only the secrets the run's own configuration references.
 *
 * A worker that records in-process (no BATON_API_URL, no HTTP) has no credential to hand over:
 * its runs open the same local database, where authentication does not apply.
 */
export function withRunCredentials(inner: Infrastructure, worker: { client: BatonClient; workerApiUrl: string | undefined }): Infrastructure {
  return {
    type: inner.type,
    async launch(claimed: ClaimedRun, context: LaunchContext): Promise<LaunchedRun> {
      if (!worker.workerApiUrl) return inner.launch(claimed, { ...context, credentials: {} });
      let token: string;
      try {
        // The claim brought it (run_tokens), or this asks for it: the same check, the same token.
        ({ token } = claimed.run_token ?? (await worker.client.call("createRunToken", { params: { id: claimed.flow_run.id } })));
      } catch (error) {
        // The run ended between the claim and the launch (cancelled, say): nothing to start, and
        // nothing to record as Crashed; the supervisor sees its final state.
        if (error instanceof ApiError && error.code === "RunAlreadyFinished") return notStarted();
        throw error;
      }
      const runClient = clientWithToken(worker.workerApiUrl, token);
      try {
        return await inner.launch(claimed, {
          ...context,
          credentials: { BATON_API_KEY: token, ...tlsTrustForRuns() },
          resolveSecret: async (name) => (await runClient.call("readSecretValue", { params: { name } })).value,
          resolveVariable: async (name) => (await runClient.call("readVariable", { params: { name } })).value,
        });
      } finally {
        await runClient.close();
      }
    },
  };
}

/** A launch that did not happen because the run had already ended. */
function notStarted(): LaunchedRun {
  const exit: RunExit = { exitCode: 0, signal: null, tail: "" };
  return { exited: Promise.resolve(exit), terminate: async () => exit };
}
