import type { TaskInput } from "@baton/core";

/**
 * Which task run produced a value, so a later call that receives it can name its upstream
 * task run (the UI draws the graph from `task_inputs`). Only objects can be followed: a
 * number returned by one task and passed to another is just a number.
 */
const producedBy = new WeakMap<object, string>();

export function trackResult(value: unknown, taskRunId: string): void {
  if (value !== null && typeof value === "object") producedBy.set(value, taskRunId);
}

function upstream(value: unknown, out: TaskInput[]): void {
  if (value === null || typeof value !== "object") return;
  const id = producedBy.get(value);
  if (id) out.push({ input_type: "task_run", id });
}

/**
 * `{ items: [{ input_type: "task_run", id }] }` for each argument that is (or, one level
 * down, holds in an array) the result of another task run.
 */
export function taskInputsOf(args: readonly unknown[], names: readonly string[]): Record<string, TaskInput[]> {
  const inputs: Record<string, TaskInput[]> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === null || typeof arg !== "object") {
      inputs[names[i] ?? `arg${i}`] = [];
      continue;
    }
    const found: TaskInput[] = [];
    upstream(arg, found);
    if (found.length === 0 && Array.isArray(arg)) for (const item of arg) upstream(item, found);
    inputs[names[i] ?? `arg${i}`] = found;
  }
  return inputs;
}

/**
 * Parameter names of a function, read from its source once per task; `argN` where they
 * cannot be read (destructuring, defaults with commas).
 */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const source = Function.prototype.toString.call(fn);
  const match = /^(?:async\s+)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(source) ?? /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (!match) return [];
  return match[1]!
    .split(",")
    .map((p) => p.replace(/\/\*.*?\*\//g, "").replace(/=.*$/s, "").replace(/:.*$/s, "").trim())
    .map((p, i) => (/^(?:\.\.\.)?[A-Za-z_$][\w$]*$/.test(p) ? p.replace(/^\.\.\./, "") : `arg${i}`))
    .filter((p, i, all) => p !== "" || i < all.length - 1);
}
