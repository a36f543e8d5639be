import { spawn, type ChildProcess } from "node:child_process";
import { OutputTail } from "./output-tail.js";

export interface ProcessSpec {
  command: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Copy the process's output to this worker's output, each line prefixed. */
  streamOutput?: boolean;
  prefix?: string;
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
  private readonly tail = new OutputTail();

  constructor(spec: ProcessSpec) {
    const [file, ...args] = spec.command;
    if (!file) throw new TypeError("command is empty");
    this.child = spawn(file, args, { env: spec.env, cwd: spec.cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const forward = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      this.tail.push(text);
      if (spec.streamOutput) stream.write(spec.prefix ? text.replace(/^(?=.)/gm, spec.prefix) : text);
    };
    this.child.stdout!.on("data", forward(process.stdout));
    this.child.stderr!.on("data", forward(process.stderr));
    this.exited = new Promise((resolve, reject) => {
      this.child.once("error", reject);
      this.child.once("close", (exitCode, signal) => resolve({ exitCode, signal, tail: this.tail.text() }));
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
