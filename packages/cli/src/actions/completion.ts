import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { SHELLS, completionScript, type Shell } from "../completion/scripts.js";
import { completionTree } from "../completion/tree.js";

export async function completionCommand(ctx: CommandContext, shell: string, _options: unknown, command: Command) {
  if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`"${shell}" is not a shell baton completes; use one of ${SHELLS.join(", ")} (e.g. baton completion bash)`);
  ctx.io.stdout.write(completionScript(shell as Shell, completionTree(command.parent!)));
}
