import type { PullProgress } from "baton";
import type { Output } from "../output/io.js";
import { Progress } from "../output/progress.js";

/** `Receiving objects 45% (9/20)`, or `Enumerating objects 52` when git gives no total. */
function gitPhase(event: Extract<PullProgress, { event: "git" }>): string {
  const { phase, done, total, percent } = event.git;
  return percent === undefined ? `${phase} ${done}` : `${phase} ${percent}% (${done}/${total})`;
}

/**
 * A pull's clones on a terminal: the step, git's phase and count, the time so far, then one line
 * with the commit. Undefined without a terminal (a worker's pipe, a CI log), so git is not even
 * asked for its progress there. Other steps clear the line, as their output may follow.
 */
export function pullProgressReporter(out: Output): ((event: PullProgress) => void) | undefined {
  if (!new Progress(out).enabled) return undefined;
  let clone: Progress | undefined;
  return (event) => {
    if (event.kind !== "git_clone" || event.event === "failed") {
      clone?.clear();
      clone = undefined;
      return;
    }
    const count = event.steps > 1 ? { done: event.step, total: event.steps } : undefined;
    const what = `Cloning ${event.repository}`;
    if (event.event === "started") {
      clone = new Progress(out);
      clone.step(what, count);
    } else if (event.event === "git") {
      clone?.step(`${what}: ${gitPhase(event)}`, count);
    } else {
      const at = event.commit ? ` at ${event.commit.slice(0, 7)}` : "";
      clone?.finish(event.fromCache ? `Checked out ${event.repository}${at} from the local cache` : `Cloned ${event.repository}${at}`);
      clone = undefined;
    }
  };
}
