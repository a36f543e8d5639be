export type { HookContext, HookLogger, StateHook, Hooks, FlowHookOptions, TaskHookOptions } from "../definition/hook-types.js";
