import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/config.js");

export function registerConfig(program: Command, ctx: CommandContext): void {
  const config = program.command("config").description("Read and change settings in the active profile");

  config
    .command("set")
    .description("Set settings in the active profile (each value is checked before anything is written)")
    .argument("<assignments...>", "NAME=value pairs, e.g. BATON_API_URL=http://127.0.0.1:4200/api")
    .action(lazy(ctx, actions, "setCommand"));

  config
    .command("unset")
    .description("Remove settings from the active profile (they fall back to their defaults)")
    .argument("<names...>", "setting names, e.g. BATON_API_URL")
    .action(lazy(ctx, actions, "unsetCommand"));

  config
    .command("view")
    .description("Show the settings in effect (environment, then the active profile, then defaults)")
    .option("--show-sources", "show where each value comes from")
    .option("--show-defaults", "list every setting, the unset ones too, with its default and what it is for")
    .option("--json", "print { profile, settings: { NAME: { value, source } } }")
    .action(lazy(ctx, actions, "viewCommand"));
}
