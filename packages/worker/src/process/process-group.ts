import { spawn, type ChildProcess } from "node:child_process";
import { RunOutput, type OutputTargets } from "../output/output-lines.js";

export interface ProcessSpec {
  command: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Copy the process's output to this worker's output, each line prefixed. */
  streamOutput?: boolean;
  prefix?: string;
  /** Where streamed output goes (default: this worker's stdout and stderr). */
  targets?: OutputTargets;
  /** A process already started (a spare executor, in its own group) that this run takes over. */
  started?: ChildProcess;
}

export interface ProcessExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines of output, for the message of a run that crashed. */
  tail: string;
}

/**
 * A flow run's process, in its own process group, so that cancelling it also ends whatever it
 * started (npm, a shell script, its own children) and not just the top process.
 */
export class ProcessGroup {
  readonly child: ChildProcess;
  readonly exited: Promise<ProcessExit>;

  constructor(spec: ProcessSpec) {
    const [file, ...args] = spec.command;
    if (!file) throw new TypeError("command is empty");
    this.child = spec.started ?? spawn(file, args, { env: spec.env, cwd: spec.cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const output = new RunOutput({ streamOutput: spec.streamOutput, prefix: spec.prefix, targets: spec.targets });
    this.child.stdout!.on("data", (chunk: Buffer) => output.stdout.write(chunk));
    this.child.stderr!.on("data", (chunk: Buffer) => output.stderr.write(chunk));
    this.exited = new Promise((resolve, reject) => {
      this.child.once("error", reject);
      // "close" comes after both pipes ended: their last, unterminated lines are flushed here.
      this.child.once("close", (exitCode, signal) => {
        output.end();
        resolve({ exitCode, signal, tail: output.tail.text() });
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM to the whole group, then SIGKILL if it is still there after the grace period. */
  async terminate(graceSeconds: number): Promise<ProcessExit> {
    const pid = this.child.pid;
    if (pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      signalGroup(pid, "SIGTERM");
      const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceSeconds * 1000);
      try {
        return await this.exited;
      } finally {
        clearTimeout(timer);
        signalGroup(pid, "SIGKILL"); // anything of the group that outlived its leader
      }
    }
    return this.exited;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
