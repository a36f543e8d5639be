import { spawn } from "node:child_process";

export interface ChildResult {
  stdout: string;
  stderr: string;
}

export interface ChildFailure extends Error {
  /** The program ran and exited non-zero (false: it could not start, or was stopped). */
  exited: boolean;
  code?: string;
  exitCode?: number | null;
  stdout?: string;
  stderr: string;
}

const MAX_OUTPUT = 16 * 1024 * 1024;

/**
 * Runs a program of a pull step. Its stdin is empty (/dev/null), so nothing a user put in the
 * step (`--stdin`, a prompt) can make it wait for input; it leads its own process group, so a
 * time limit stops it and whatever it started (git's remote helpers, ssh).
 */
export function runChild(
  program: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal; onOutput?: (text: string) => void; onStderr?: (text: string) => void },
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(abortError(options.signal));
    const child = spawn(program, args, { env: options.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += d;
      options.onOutput?.(d.toString());
    });
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += d;
      options.onOutput?.(d.toString());
      options.onStderr?.(d.toString());
    });
    const stop = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
    };
    options.signal?.addEventListener("abort", stop, { once: true });
    child.on("error", (error: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener("abort", stop);
      reject(Object.assign(new Error(error.message), { exited: false, code: error.code, stderr }));
    });
    child.on("close", (code) => {
      options.signal?.removeEventListener("abort", stop);
      if (options.signal?.aborted) return reject(abortError(options.signal));
      if (code === 0) return resolve({ stdout: stdout.trim(), stderr });
      reject(Object.assign(new Error(stderr || `${program} exited with code ${code}`), { exited: true, exitCode: code, stdout, stderr }));
    });
  });
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("stopped");
}
