import { closeSync, openSync, readFileSync, readSync, writeSync } from "node:fs";

/** The worker's own credentials: once its client holds them, no copy stays in its environment. */
export const WORKER_CREDENTIALS = ["BATON_API_KEY", "BATON_API_AUTH_STRING"] as const;

/**
 * Removes the worker's credentials from its environment once its client holds them, so that
 * nothing the worker starts, and nothing reading /proc/<worker pid>/environ (a process run
 * can), finds them. Deleting from process.env is not enough: /proc/PID/environ shows the block
 * the process started with, which stays in its memory. On Linux the process may write its own
 * memory through /proc/self/mem, so each `NAME=value` there has its value overwritten with NUL
 * bytes (after process.env no longer points at it). Returns the names removed from that block,
 * or the reason it could not be (then the worker says so: see docs/security.md).
 */
export function forgetWorkerCredentials(names: readonly string[] = WORKER_CREDENTIALS): { erased: string[]; problem?: string } {
  const present = names.filter((n) => process.env[n] !== undefined);
  for (const name of present) delete process.env[name];
  if (present.length === 0 || process.platform !== "linux") return { erased: [] };
  try {
    return { erased: eraseFromInitialEnvironment(present) };
  } catch (error) {
    return { erased: [], problem: `could not erase ${present.join(", ")} from /proc/${process.pid}/environ (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
}

function eraseFromInitialEnvironment(names: string[]): string[] {
  const stat = readFileSync("/proc/self/stat", "utf8");
  // Fields after the command name, which may hold spaces and parentheses: field 3 is index 0.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Addresses fit in a double: user space ends below 2^47 on x86-64 and 2^48 (or 2^52) on arm64.
  const start = BigInt(fields[50 - 3]!);
  const end = BigInt(fields[51 - 3]!);
  if (end <= start) return [];
  const block = Buffer.alloc(Number(end - start));
  const fd = openSync("/proc/self/mem", "r+");
  const erased: string[] = [];
  try {
    readSync(fd, block, 0, block.length, start);
    let offset = 0;
    while (offset < block.length) {
      let next = block.indexOf(0, offset);
      if (next === -1) next = block.length;
      const entry = block.subarray(offset, next).toString("latin1");
      const eq = entry.indexOf("=");
      const name = eq > 0 ? entry.slice(0, eq) : "";
      if (names.includes(name)) {
        const valueStart = offset + eq + 1;
        const length = next - valueStart;
        if (length > 0) writeSync(fd, Buffer.alloc(length, 0), 0, length, Number(start + BigInt(valueStart)));
        erased.push(name);
      }
      offset = next + 1;
    }
  } finally {
    closeSync(fd);
  }
  return erased;
}
