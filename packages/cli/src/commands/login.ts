import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/login.js");

/**
 * Check a key against a server and keep both in the active profile: what a person does once
 * per server instead of exporting BATON_API_URL and BATON_API_KEY in every shell.
 */
export function registerLogin(program: Command, ctx: CommandContext): void {
  program
    .command("login")
    .description("Check an API key against a server and save the URL and key in the active profile")
    .requiredOption("--url <url>", "the server's API, e.g. http://127.0.0.1:4200/api")
    .option("--key-stdin", "read the key from stdin (printf %s \"$KEY\" | baton login --url URL --key-stdin)")
    .option("--key <key>", "the key on the command line (visible to other users in ps; prefer the prompt or --key-stdin)")
    .addHelpText("after", "\nThe key comes from --key, --key-stdin, BATON_API_KEY, or a hidden prompt, in that order.\nExample:\n  baton login --url https://baton.example.com/api")
    .action(lazy(ctx, actions, "loginCommand"));
}
