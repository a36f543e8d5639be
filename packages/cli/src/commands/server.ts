import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/server.js");

export function registerServer(program: Command, ctx: CommandContext): void {
  const server = program.command("server").description("Run the Baton API server");
  server
    .command("start")
    .description("Start the API server in the foreground (Ctrl-C stops it); migrations run at start")
    .option("--host <host>", "address to listen on (default: BATON_SERVER_HOST, 127.0.0.1)")
    .option("--port <port>", "port to listen on (default: BATON_SERVER_PORT, 4200)")
    .option("--database-url <url>", "postgresql://... or sqlite:///path (default: BATON_SERVER_DATABASE_URL, SQLite at $BATON_HOME/baton.db)")
    .option("--tls-cert <file>", "serve HTTPS with this PEM certificate (chain) (default: BATON_SERVER_TLS_CERT_FILE)")
    .option("--tls-key <file>", "the PEM private key of --tls-cert (default: BATON_SERVER_TLS_KEY_FILE)")
    .option("--insecure-no-auth", "accept every request without a credential, on any address (only on a private network you trust)")
    .action(lazy(ctx, actions, "startCommand"));
  server
    .command("prune")
    .description("Delete finished flow runs (with their task runs, states and logs) older than an age, from the server's database (run it where the server runs); a dry run unless --yes")
    .requiredOption("--older-than <age>", "finished runs made and ended before this long ago: 30d, 12h, 2w")
    .option("--yes", "delete them (without it, only say what would go)")
    .option("--database-url <url>", "postgresql://... or sqlite:///path (default: BATON_SERVER_DATABASE_URL, SQLite at $BATON_HOME/baton.db)")
    .option("--json", "print the summary (and what was deleted) as JSON")
    .addHelpText("after", "\nExample:\n  baton server prune --older-than 30d          # what would go\n  baton server prune --older-than 30d --yes    # delete it\n\nThe server does this by itself with BATON_SERVER_RETENTION_DAYS=30.")
    .action(lazy(ctx, actions, "pruneCommand"));
  server
    .command("create-admin-key")
    .description("Recover from lost admin keys: open the server's database directly and make a new admin key (run it where the server runs)")
    .option("--name <name>", "the key's name (default: recovery-admin, numbered when taken)")
    .option("--database-url <url>", "postgresql://... or sqlite:///path (default: BATON_SERVER_DATABASE_URL, SQLite at $BATON_HOME/baton.db)")
    .action(lazy(ctx, actions, "createAdminKeyCommand"));

  const database = server.command("database").description("The server's database: bring its schema up to date, or empty it (run it where the server runs)");
  database
    .command("upgrade")
    .description("Apply the migrations the database lacks (a server start does this too)")
    .option("--database-url <url>", "postgresql://... or sqlite:///path (default: BATON_SERVER_DATABASE_URL, SQLite at $BATON_HOME/baton.db)")
    .option("--json", "print { database, applied } as JSON")
    .addHelpText("after", "\nExamples:\n  baton server database upgrade\n  baton server database upgrade --database-url postgresql://baton@db/baton")
    .action(lazy(ctx, actions, "databaseUpgradeCommand"));
  database
    .command("reset")
    .description("Drop every Baton table and create them again, empty: all runs, deployments, pools and API keys are lost")
    .option("--yes", "really reset (required)")
    .option("--database-url <url>", "postgresql://... or sqlite:///path (default: BATON_SERVER_DATABASE_URL, SQLite at $BATON_HOME/baton.db)")
    .option("--json", "print { database, reverted, applied } as JSON")
    .addHelpText("after", "\nExamples:\n  baton server database reset --yes")
    .action(lazy(ctx, actions, "databaseResetCommand"));
}
