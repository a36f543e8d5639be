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
    const info = await container.inspect().catch(() => undefined);
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
