import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { collect, removal } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/notification.js");

/** Notification rules: runs entering a state send to a webhook, Slack, Teams or email, from the server. */
export function registerNotification(program: Command, ctx: CommandContext): void {
  const command = program.command("notification").description("Rules that send a message when runs fail, crash, are late, cancelled or complete (webhook, Slack, Teams, email)");

  command
    .command("create")
    .description("Create a rule; the server sends from then on, retrying until the target accepts")
    .argument("<name>", "letters, digits, '.', '-' and '_'")
    .requiredOption("--on <states>", "comma-separated: failed, crashed, late, cancelled, completed")
    .option("--flow <name>", "only runs of this flow (repeatable)", collect, [])
    .option("--deployment <flow/name>", "only runs of this deployment (repeatable)", collect, [])
    .option("--tag <tag>", "only runs with this tag (repeatable: any of them)", collect, [])
    .option("--pool <name>", "only runs in this work pool (repeatable)", collect, [])
    .option("--webhook <url>", "POST a JSON body, signed with --hmac-secret (env:NAME reads a variable)")
    .option("--hmac-secret <secret>", "sign webhook bodies: X-Baton-Signature: sha256=HMAC(body)")
    .option("--slack <url>", "a Slack incoming webhook URL (env:NAME reads a variable)")
    .option("--teams <url>", "a Microsoft Teams webhook URL (env:NAME reads a variable)")
    .option("--email-to <address>", "send email to this address (repeatable)", collect, [])
    .option("--email-from <address>", "the sender")
    .option("--smtp-host <host>", "the mail server")
    .option("--smtp-port <port>", "default 587")
    .option("--smtp-secure", "TLS from the start (port 465); default STARTTLS when offered")
    .option("--smtp-username <user>", "log in as this user")
    .option("--smtp-password <password>", "and this password (env:NAME reads a variable)")
    .option("--title <template>", "first line / email subject: {run_name} {flow_name} {deployment} {state} {message} {url}")
    .option("--body <template>", "the message text, same placeholders")
    .option("--disabled", "create it switched off")
    .option("--json", "print the rule as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  baton notification create nightly-failed --on failed,crashed --deployment etl/nightly --slack env:SLACK_WEBHOOK_URL\n  baton notification create ops-mail --on failed --tag prod --email-to ops@example.com --email-from baton@example.com --smtp-host smtp.example.com --smtp-username baton --smtp-password env:SMTP_PASSWORD\n\nThe link in each message points at BATON_UI_URL, set on the server.",
    )
    .action(lazy(ctx, actions, "createCommand"));

  command
    .command("ls")
    .description("List rules (target URLs masked, secrets never shown)")
    .option("--limit <n>", "show at most this many (default 200)")
    .option("--json", "print the rules as a JSON array")
    .action(lazy(ctx, actions, "lsCommand"));

  command
    .command("inspect")
    .description("Show one rule")
    .argument("<name>")
    .option("--json", "print the rule as JSON")
    .action(lazy(ctx, actions, "inspectCommand"));

  for (const [verb, enabled] of [["enable", true], ["disable", false]] as const) {
    command
      .command(verb)
      .description(enabled ? "Switch a rule on" : "Switch a rule off (nothing is sent until it is enabled)")
      .argument("<name>")
      .action(lazy(ctx, actions, enabled ? "enableCommand" : "disableCommand"));
  }

  removal(command.command("delete"))
    .description("Delete a rule (its delivery log stays)")
    .argument("<name>")
    .action(lazy(ctx, actions, "deleteCommand"));

  command
    .command("test")
    .alias("send-test")
    .description("Send a test message through the rule's target now; see it with baton notification deliveries")
    .argument("<name>")
    .option("--json", "print the queued delivery as JSON")
    .action(lazy(ctx, actions, "testCommand"));

  command
    .command("deliveries")
    .description("The delivery log, newest first: attempts and the last error of each message")
    .option("--rule <name>", "only this rule's")
    .option("--status <status>", "pending, delivered or failed")
    .option("--flow-run <id>", "only about this flow run")
    .option("--limit <n>", "how many (default 20)")
    .option("--json", "print them as JSON")
    .action(lazy(ctx, actions, "deliveriesCommand"));
}
