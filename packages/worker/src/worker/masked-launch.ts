import type { ClaimedRun } from "@baton/core";
import { SecretMasker } from "@baton/core/runtime";
import type { Infrastructure, LaunchContext, LaunchedRun, RunExit } from "../infrastructure.js";

/**
 * Wraps an infrastructure so that no secret value it resolved for a run appears in what the
 * worker records about that run: a launch error that quotes a resolved value (the engine
 * refusing a `memory` or a label taken from a secret) and the last lines of a run that crashed
 * become the run's Crashed message, which every viewer reads. Goes inside withRunCredentials,
 * so it sees the secrets read with the run's token.
 */
export function withMaskedLaunch(inner: Infrastructure): Infrastructure {
  return {
    type: inner.type,
    async launch(claimed: ClaimedRun, context: LaunchContext): Promise<LaunchedRun> {
      const masker = new SecretMasker();
      const resolveSecret = async (name: string) => {
        const value = await context.resolveSecret(name);
        masker.add(value);
        return value;
      };
      let launched: LaunchedRun;
      try {
        launched = await inner.launch(claimed, { ...context, resolveSecret, maskSecrets: (text) => masker.mask(text) });
      } catch (error) {
        throw maskError(error, masker);
      }
      const maskExit = (exit: RunExit): RunExit => ({ ...exit, tail: masker.mask(exit.tail), ...(exit.reason === undefined ? {} : { reason: masker.mask(exit.reason) }) });
      return {
        ...launched,
        exited: launched.exited.then(maskExit, (error: unknown) => Promise.reject(maskError(error, masker))),
        terminate: async (graceSeconds) => maskExit(await launched.terminate(graceSeconds)),
      };
    },
  };
}

function maskError(error: unknown, masker: SecretMasker): unknown {
  if (masker.size === 0) return error;
  if (!(error instanceof Error)) return new Error(masker.mask(String(error)));
  error.message = masker.mask(error.message);
  if (error.stack) error.stack = masker.mask(error.stack);
  // The engine's or the API's own error (the cause) may quote the value too, and is not needed any more.
  delete (error as { cause?: unknown }).cause;
  return error;
}
