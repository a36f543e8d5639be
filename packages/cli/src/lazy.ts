import type { CommandContext } from "./context.js";

/**
 * A command's action, loaded when the command runs. Commands are registered with their names,
 * descriptions and options only (commander, no zod, no API client), so `baton --help` and
 * `baton --version` pay for no command's code (issue 14: start-up is on every run's path).
 */
export function lazy<M, K extends keyof M>(ctx: CommandContext, load: () => Promise<M>, name: K): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const action = (await load())[name] as (ctx: CommandContext, ...rest: unknown[]) => unknown;
    await ctx.ready();
    await action(ctx, ...args);
  };
}
