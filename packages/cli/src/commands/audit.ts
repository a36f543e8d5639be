import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/audit.js");

/** Who changed what: every successful write through the API except the workers' and runs' own traffic. */
export function registerAudit(program: Command, ctx: CommandContext): void {
  const audit = program.command("audit").description("The server's audit log of changes (admin)");
  audit
    .command("ls")
    .description("List audit entries, newest first")
    .option("--limit <n>", "how many entries (default 50)")
    .option("--actor <name>", "only this key (or basic:USER, run:ID, anonymous)")
    .option("--action <route>", "only this action (upsertDeployment, setSecret, ...)")
    .option("--json", "print the entries as a JSON array")
    .action(lazy(ctx, actions, "lsCommand"));
}
