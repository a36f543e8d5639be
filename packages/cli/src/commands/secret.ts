import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { collect, removal } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/secret.js");

/** Secrets are written and listed, never read back here: only a run that references one gets its value. */
export function registerSecret(program: Command, ctx: CommandContext): void {
  const secret = program.command("secret").description("Secrets for pull steps and job templates ({{ baton.secrets.NAME }}), stored encrypted");

  secret
    .command("set")
    .description(
      "Create or replace a secret, and set which work pools and deployments may use it (an admin's command). The value is read from stdin (hidden on a terminal) unless --value is given. " +
        "A new secret without --pool or --deployment is usable by no deployment; with only one of them, the other is every one ('*'); with neither, an existing secret keeps its scope",
    )
    .argument("<name>", "letters, digits, '-' and '_'")
    .option("--value <value>", "the value (it stays in your shell history: prefer stdin)")
    .option("--pool <pool>", "a work pool whose runs may use it, or a pattern (prod-*, '*') (repeatable)", collect)
    .option("--deployment <flow/deployment>", "a deployment that may use it, or a pattern (etl/*, '*') (repeatable)", collect)
    .option("--keep-value", "change only the scope of an existing secret; read no value")
    .addHelpText(
      "after",
      "\nExamples:\n  baton secret set deploy-key --pool k8s-pool < ~/.ssh/deploy_key   # any deployment of pool k8s-pool\n" +
        "  baton secret set github-token --deployment etl/prod               # type it, not shown\n" +
        "  baton secret set db-pass --keep-value --pool prod-* --deployment 'etl/*'",
    )
    .action(lazy(ctx, actions, "setCommand"));

  secret
    .command("ls")
    .description("List secrets: names, scopes and dates, never values")
    .option("--limit <n>", "show at most this many (default 200)")
    .option("--json", "print the secrets as a JSON array")
    .action(lazy(ctx, actions, "lsCommand"));

  removal(secret.command("delete"))
    .description("Delete a secret (runs that reference it will fail to resolve it)")
    .argument("<name>", "the secret's name")
    .action(lazy(ctx, actions, "deleteCommand"));
}
