import { BatonError } from "@baton/core/runtime";
import { CommandContext } from "./context.js";
import { UsageError } from "./errors.js";
import { executeCommand } from "./flow-run/execute.js";
import { fastExecuteArgs } from "./flow-run/execute-args.js";
import { endQuietlyOnClosedPipe } from "./output/closed-pipe.js";
import type { CliIo } from "./output/io.js";

export type { CliIo } from "./output/io.js";
export { UsageError } from "./errors.js";

/** Exit codes: 0 success, 1 a failure (a run that did not complete, an error), 2 a usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * Run the `baton` command line; resolves with the exit code. The one error boundary of the
 * CLI: a BatonError is a message for the user (no stack), a usage error exits 2, anything
 * else is a bug and shows its stack.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const ctx = new CommandContext(io);
  try {
    const fast = fastExecuteArgs(argv);
    if (fast) await executeCommand(ctx, fast.id);
    else {
      // Not for a run's process: its output is its worker's pipe, and a closed one means the
      // worker died, which the run reports as a crash (flow-run/execute.ts), not a quiet exit.
      if (io.stdout === process.stdout) endQuietlyOnClosedPipe(process.stdout);
      if (io.stderr === process.stderr) endQuietlyOnClosedPipe(process.stderr);
      // The whole command line (commander and every command) only when it is needed.
      const { createProgram } = await import("./program.js");
      await createProgram(ctx).parseAsync(argv);
    }
    return ctx.exitCode;
  } catch (error) {
    return report(ctx, error);
  } finally {
    await ctx.close().catch((error: unknown) => ctx.out.error(`warning: closing the API client failed: ${String(error)}`));
  }
}

function report(ctx: CommandContext, error: unknown): number {
  const { out } = ctx;
  if (isCommanderError(error)) {
    // Commander has printed its message already; --help and --version end here with 0.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof BatonError) {
    out.error(out.errColors.red(`Error: ${error.message}`));
    const issues = (error as { issues?: Array<{ path: string; message: string }> }).issues ?? [];
    // Most messages list their issues already; print only those they leave out.
    for (const issue of issues) {
      const line = `${issue.path || "(root)"}: ${issue.message}`;
      if (!error.message.includes(line)) out.error(`  ${line}`);
    }
    return error instanceof UsageError ? EXIT.usage : EXIT.failure;
  }
  out.error(out.errColors.red("Unexpected error (a bug in Baton; please report it with this output):"));
  out.error(error instanceof Error ? (error.stack ?? String(error)) : String(error));
  return EXIT.failure;
}

/** A CommanderError, recognised without importing commander (the fast path never loads it). */
function isCommanderError(error: unknown): error is { exitCode: number } {
  const e = error as { code?: unknown; exitCode?: unknown } | null;
  return typeof e?.code === "string" && e.code.startsWith("commander.") && typeof e.exitCode === "number";
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
