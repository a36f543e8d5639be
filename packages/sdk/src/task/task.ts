import { parameterNames } from "../engine/task-inputs.js";
import { callTask } from "../engine/task-run-engine.js";
import { isBadDelay, validateCommonRunOptions } from "../run-options/validate.js";
import type { TaskDefinition, TaskOptions } from "../definition/task-options.js";
import { TASK_HOOK_NAMES, validateHooks } from "../hooks/hooks.js";

const TASK = Symbol.for("baton.task");

export interface Task<A extends unknown[], R> {
  (...args: A): Promise<Awaited<R>>;
  readonly taskName: string;
  readonly options: Readonly<TaskOptions<A>>;
  readonly [TASK]: true;
}

export type { TaskDefinition } from "../definition/task-options.js";

/**
 * Wrap a function (sync or async) as a task: inside a flow run each call is a recorded task
 * run with retries, timeout, caching and logs. Outside any flow run a call just runs the
 * function (with its retries and timeout) and records nothing: there is no run to attach it to.
 */
export function task<A extends unknown[], R>(name: string, fn: (...args: A) => R): Task<A, R>;
export function task<A extends unknown[], R>(options: TaskOptions<A>, fn: (...args: A) => R): Task<A, R>;
export function task<A extends unknown[], R>(nameOrOptions: string | TaskOptions<A>, fn: (...args: A) => R): Task<A, R> {
  const options: TaskOptions<A> = typeof nameOrOptions === "string" ? { name: nameOrOptions } : { ...nameOrOptions };
  validateTaskOptions(options);
  if (typeof fn !== "function") throw new TypeError(`task "${options.name}": the second argument must be the function to run`);
  const definition: TaskDefinition<A, R> = { options, fn, argNames: parameterNames(fn as (...args: never[]) => unknown) };
  const call = (...args: A) => callTask(definition, args);
  Object.defineProperty(call, "name", { value: options.name });
  return Object.assign(call, { taskName: options.name, options, [TASK]: true as const });
}

export function isTask(value: unknown): value is Task<unknown[], unknown> {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[TASK] === true;
}

function validateTaskOptions(o: TaskOptions<never>): void {
  const where = `task "${String(o.name)}"`;
  if (typeof o.name !== "string" || o.name.length === 0 || o.name.length > 200) {
    throw new TypeError("task(): `name` must be a non-empty string of at most 200 characters");
  }
  validateCommonRunOptions(where, o);
  validateHooks(where, o as Parameters<typeof validateHooks>[1], TASK_HOOK_NAMES);
  if (o.cacheExpirationSeconds !== undefined && !(o.cacheExpirationSeconds > 0)) {
    throw new TypeError(`${where}: cacheExpirationSeconds must be a number > 0, got ${String(o.cacheExpirationSeconds)}`);
  }
  const delay = o.retryDelaySeconds;
  if (delay !== undefined && typeof delay !== "function" && (Array.isArray(delay) ? delay.some(isBadDelay) : isBadDelay(delay))) {
    throw new TypeError(`${where}: retryDelaySeconds must be seconds >= 0, a list of them, or a function such as exponentialBackoff({ baseSeconds: 1 })`);
  }
}
