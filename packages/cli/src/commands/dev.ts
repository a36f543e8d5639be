import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/dev.js");

/**
 * Everything a laptop needs in one command: the server on SQLite in $BATON_HOME and a process
 * worker on pool "default". Runs it starts talk to this server over HTTP, like in production.
 */
export function registerDev(program: Command, ctx: CommandContext): void {
  program
    .command("dev")
    .description("Start a local server (SQLite in $BATON_HOME) and a process worker on pool 'default'; Ctrl-C stops both")
    .option("--port <port>", "port for the server (default: BATON_SERVER_PORT, 4200)")
    .option("--pool <pool>", "the worker's pool (created if missing)", "default")
    .action(lazy(ctx, actions, "devCommand"));
}
