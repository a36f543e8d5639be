import type { Command } from "commander";
import { ARTIFACT_TYPES } from "@baton/core/runtime";
import type { CommandContext } from "../context.js";
import { removal } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/artifact.js");

/** Artifacts published by flow code (createMarkdownArtifact, createTableArtifact, ...): each key's latest, a run's, a key's versions. */
export function registerArtifact(program: Command, ctx: CommandContext): void {
  const command = program.command("artifact").description("Artifacts published by flow code: markdown, tables, links and progress");

  command
    .command("ls")
    .description("List each key's latest artifact (or a run's artifacts with --flow-run)")
    .option("--limit <n>", "show at most this many (default 200)")
    .option("--flow-run <id>", "the artifacts of one flow run, keyed or not")
    .option("--type <type>", `only this type: ${ARTIFACT_TYPES.join(", ")}`)
    .option("--all", "every version of every key, not only the latest")
    .option("--json", "print the artifacts as a JSON array")
    .addHelpText("after", "\nExamples:\n  baton artifact ls\n  baton artifact ls --flow-run 0190c0de-...")
    .action(lazy(ctx, actions, "lsCommand"));

  command
    .command("inspect")
    .description("Show a key's latest artifact with its data, and its versions")
    .argument("<key>", "the artifact's key")
    .option("--json", "print { latest, versions } as JSON")
    .addHelpText("after", "\nExample:\n  baton artifact inspect nightly-report")
    .action(lazy(ctx, actions, "inspectCommand"));

  removal(command.command("delete"))
    .description("Delete every version of a key (asks first unless --yes)")
    .argument("<key>", "the artifact's key")
    .addHelpText("after", "\nExample:\n  baton artifact delete nightly-report --yes")
    .action(lazy(ctx, actions, "deleteCommand"));
}
