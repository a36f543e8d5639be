import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/version.js");

export function registerVersion(program: Command, ctx: CommandContext): void {
  program
    .command("version")
    .description("Show the client version, the API it talks to and the server's version")
    .option("--json", "print the versions as a JSON object")
    .action(lazy(ctx, actions, "versionCommand"));
}
