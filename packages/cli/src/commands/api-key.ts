import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { collect } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/api-key.js");

/** API keys of the server: admins make them for people, CI and workers; each is shown once. */
export function registerApiKey(program: Command, ctx: CommandContext): void {
  const apiKey = program.command("api-key").description("Create, list and revoke the server's API keys (admin)");

  apiKey
    .command("create")
    .description("Create an API key; it is printed once, the server keeps only a hash")
    .requiredOption("--name <name>", "a name for the key (who or what uses it): letters, digits, '-', '_', '.'")
    .requiredOption("--role <role>", "admin | deployer | worker | viewer")
    .option("--expires <duration>", "lifetime: 30m, 12h, 90d, 8w (default: never)")
    .option("--work-pool <pool>", "limit the key to this work pool (repeatable)", collect)
    .option("--deployment <flow/deployment>", "limit the key to this deployment (repeatable)", collect)
    .option("--json", "print the created key as JSON")
    .action(lazy(ctx, actions, "createCommand"));

  apiKey
    .command("ls")
    .description("List API keys: names, roles, prefixes, last use, expiry (never the keys)")
    .option("--limit <n>", "show at most this many (default 200)")
    .option("--json", "print the keys as a JSON array")
    .action(lazy(ctx, actions, "lsCommand"));

  apiKey
    .command("revoke")
    .description("Revoke an API key: it stops working at once, and its UI sessions end")
    .argument("<name>", "the key's name (baton api-key ls)")
    .option("-y, --yes", "do not ask; needed when stdin is not a terminal")
    .action(lazy(ctx, actions, "revokeCommand"));
}
