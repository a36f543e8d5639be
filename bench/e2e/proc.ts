// What /proc says about the bench's processes: memory, children, CPU time (Linux only, like the bench).
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICK_MS = 10;

export function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
}

/** The fields of /proc/PID/stat after the command name; undefined once the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
}

/** Live children of `pid` whose command line contains `match`. */
export function childrenOf(pid: number, match: string): number[] {
  return allPids().filter((p) => {
    if (Number(statFields(p)?.[1]) !== pid) return false;
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(match);
    } catch {
      return false;
    }
  });
}

/** utime + stime of one process, in ticks; -1 once it is gone. */
export function cpuTicks(pid: number): number {
  const stat = statFields(pid);
  return stat ? Number(stat[11]) + Number(stat[12]) : -1;
}

/**
 * CPU time (user + system, ms) of `pid` and every process under it, the ended ones included:
 * a parent that waited for its children holds their time (cutime, cstime). Read it before and
 * after a stretch of work; the difference is what that tree spent meanwhile.
 */
export function treeCpuMs(pid: number): number {
  const parents = new Map<number, number[]>();
  for (const p of allPids()) {
    const ppid = Number(statFields(p)?.[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), p]);
  }
  let ticks = 0;
  const visit = (p: number) => {
    const stat = statFields(p);
    if (!stat) return;
    ticks += Number(stat[11]) + Number(stat[12]) + Number(stat[13]) + Number(stat[14]);
    for (const child of parents.get(p) ?? []) visit(child);
  };
  visit(pid);
  return ticks * TICK_MS;
}
