export { task, isTask, type Task } from "./task.js";
export type { TaskOptions, TaskCacheContext } from "../definition/task-options.js";
export { taskInputHash } from "./cache-keys.js";
