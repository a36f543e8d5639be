import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/completion.js");

export function registerCompletion(program: Command, ctx: CommandContext): void {
  program
    .command("completion")
    .description("Print a shell completion script for baton's commands and flags: bash, zsh or fish")
    .argument("<shell>", "bash, zsh or fish")
    .addHelpText("after", "\nExamples:\n  source <(baton completion bash)          # in ~/.bashrc\n  source <(baton completion zsh)           # in ~/.zshrc\n  baton completion fish > ~/.config/fish/completions/baton.fish")
    .action(lazy(ctx, actions, "completionCommand"));
}
