import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { removal } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/profile.js");

export function registerProfile(program: Command, ctx: CommandContext): void {
  const profile = program.command("profile").description("Named sets of settings: list, create, switch, delete, inspect");

  profile
    .command("ls")
    .description("List profiles; the active one is marked with *")
    .option("--limit <n>", "show at most this many (default 200)")
    .option("--json", "print { active, profiles: [...] }")
    .action(lazy(ctx, actions, "lsCommand"));

  profile
    .command("create")
    .description("Create a profile, empty or as a copy of another")
    .argument("<name>", "the new profile's name")
    .option("--from <profile>", "copy the settings of this profile")
    .action(lazy(ctx, actions, "createCommand"));

  profile
    .command("use")
    .description("Make a profile the active one")
    .argument("<name>", "the profile to use")
    .action(lazy(ctx, actions, "useCommand"));

  profile
    .command("rename")
    .description("Rename a profile, keeping its settings (the active one stays active)")
    .argument("<name>", "the profile to rename")
    .argument("<new-name>", "its new name")
    .addHelpText("after", "\nExamples:\n  baton profile rename staging staging-eu")
    .action(lazy(ctx, actions, "renameCommand"));

  removal(profile.command("delete"))
    .description("Delete a profile (not the active one)")
    .argument("<name>", "the profile to delete")
    .action(lazy(ctx, actions, "deleteCommand"));

  profile
    .command("inspect")
    .description("Show the settings stored in a profile (the active one by default)")
    .argument("[name]", "the profile to show")
    .option("--json", "print { name, active, settings }")
    .action(lazy(ctx, actions, "inspectCommand"));
}
