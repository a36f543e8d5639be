import type Docker from "dockerode";
import type { LaunchedRun, RunExit } from "../infrastructure.js";
import type { OutputTail } from "../output/output-tail.js";
import { statusOf } from "./engine.js";

/** Labels the worker adds so that a restarted worker can follow a container as its launcher did. */
export const FOLLOW_LABELS = {
  autoRemove: "io.baton.auto-remove",
  memoryLimit: "io.baton.memory-limit",
  crashRetries: "io.baton.crash-retries",
  streamOutput: "io.baton.stream-output",
} as const;

export interface FollowOptions {
  autoRemove: boolean;
  /** The limit as the user wrote it (512m), for the message of an OOM kill. */
  memoryLimit: string | undefined;
}

/** Why the engine ended the container, when it was not the run's own doing. */
function exitReason(state: { OOMKilled?: boolean } | undefined, memoryLimit: string | undefined): string | undefined {
  if (!state?.OOMKilled) return undefined;
  const limit = memoryLimit ? ` of its ${memoryLimit} memory limit` : "";
  return `Docker: the container was killed because it ran out of memory (OOMKilled${limit}); raise the memory job variable or make the flow use less`;
}

/** How long a SIGKILLed container with a memory limit may take to show OOMKilled after its exit. */
export const OOM_FLAG_WAIT_MS = 1_000;
const OOM_FLAG_POLL_MS = 100;

/**
 * The container's state after it exited. Docker learns of an OOM kill from an event of its own,
 * which can come after the exit it reports to `wait` (seen on a loaded machine: exit 137,
 * OOMKilled still false, set a moment later). A container with a memory limit that died of
 * SIGKILL is looked at again for a moment before its end is read as not an OOM kill: an OOM kill
 * is a lost run (crash_retries applies) and its message says to raise the limit.
 */
async function inspectAfterExit(container: Docker.Container, statusCode: number, mayBeOom: boolean): Promise<Docker.ContainerInspectInfo | undefined> {
  let info = await container.inspect().catch(() => undefined);
  if (statusCode !== 137 || !mayBeOom) return info;
  for (let waited = 0; info && !info.State?.OOMKilled && waited < OOM_FLAG_WAIT_MS; waited += OOM_FLAG_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, OOM_FLAG_POLL_MS));
    // Gone meanwhile (removed by someone): what was read before stands.
    const again = await container.inspect().catch(() => undefined);
    if (!again) break;
    info = again;
  }
  return info;
}

export const ignoreGone = (error: unknown) => {
  // Already stopped (304), already removed (404) or being removed (409): the end we wanted.
  if (![304, 404, 409].includes(statusOf(error) ?? 0)) throw error;
};

/**
 * A started container, followed until it exits: its exit code, output tail and why the engine
 * ended it (OOM, removed by someone else: `lost`, so crash_retries applies); removed afterwards
 * unless auto_remove is false. `terminate` stops it (SIGTERM, then SIGKILL after the grace).
 */
export function followContainer(container: Docker.Container, output: { done: Promise<void>; tail: OutputTail }, options: FollowOptions): LaunchedRun {
  let terminated = false;
  const exited = (async (): Promise<RunExit> => {
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    await output.done;
    const info = await inspectAfterExit(container, StatusCode, options.memoryLimit !== undefined && !terminated);
    if (options.autoRemove || terminated) await container.remove({ force: true }).catch(ignoreGone);
    const removed = !info && !terminated;
    const reason = removed ? "Docker: the container was removed by someone else while the run ran" : exitReason(info?.State, options.memoryLimit);
    const tail = [output.tail.text(), reason].filter(Boolean).join("\n");
    // OOM-killed or removed: the engine lost the run, not the flow; crash_retries applies.
    const lost = !terminated && (removed || info?.State?.OOMKilled === true);
    return { exitCode: StatusCode, signal: null, tail, lost };
  })();
  return {
    exited,
    terminate: async (graceSeconds) => {
      terminated = true;
      // SIGTERM, and SIGKILL from the engine after the grace period.
      await container.stop({ t: Math.max(0, Math.ceil(graceSeconds)) }).catch(ignoreGone);
      const exit = await exited;
      await container.remove({ force: true }).catch(ignoreGone);
      return exit;
    },
  };
}
