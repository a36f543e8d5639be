import type { Command } from "commander";
import { z } from "zod";
import { SETTINGS, isSettingName } from "@baton/core";
import { createProfile, deleteProfile, readProfiles, requireProfile, useProfile } from "baton/settings";
import type { CommandContext } from "../context.js";
import { parseOptions } from "../options.js";

const JsonOption = z.object({ json: z.boolean().default(false) });
const CreateOptions = z.object({ from: z.string().min(1, "must name a profile").optional() });

export function registerProfile(program: Command, ctx: CommandContext): void {
  const profile = program.command("profile").description("Named sets of settings: list, create, switch, delete, inspect");

  profile
    .command("ls")
    .description("List profiles; the active one is marked with *")
    .option("--json", "print { active, profiles: [...] }")
    .action((raw: unknown) => {
      const options = parseOptions(JsonOption, raw);
      const settings = ctx.settings();
      const names = Object.keys(readProfiles(settings.home).profiles).sort();
      if (options.json) return ctx.out.json({ active: settings.profileName, profiles: names });
      for (const name of names) ctx.out.line(name === settings.profileName ? `* ${ctx.out.colors.green(name)}` : `  ${name}`);
    });

  profile
    .command("create")
    .description("Create a profile, empty or as a copy of another")
    .argument("<name>", "the new profile's name")
    .option("--from <profile>", "copy the settings of this profile")
    .action((name: string, raw: unknown) => {
      const options = parseOptions(CreateOptions, raw);
      const { home } = ctx.settings();
      createProfile(home, name, options.from);
      ctx.out.line(`Created profile '${name}'${options.from ? ` from '${options.from}'` : ""}`);
      ctx.out.note(`Switch to it with: baton profile use ${name}`);
    });

  profile
    .command("use")
    .description("Make a profile the active one")
    .argument("<name>", "the profile to use")
    .action((name: string) => {
      const settings = ctx.settings();
      useProfile(settings.home, name);
      ctx.out.line(`Now using profile '${name}'`);
      const fromEnv = ctx.io.env.BATON_PROFILE;
      if (fromEnv && fromEnv !== name) ctx.out.note(`Note: BATON_PROFILE=${fromEnv} is set in the environment and wins until it is unset`);
    });

  profile
    .command("delete")
    .description("Delete a profile (not the active one)")
    .argument("<name>", "the profile to delete")
    .action((name: string) => {
      const { home } = ctx.settings();
      deleteProfile(home, name, ctx.io.env.BATON_PROFILE || undefined);
      ctx.out.line(`Deleted profile '${name}'`);
    });

  profile
    .command("inspect")
    .description("Show the settings stored in a profile (the active one by default)")
    .argument("[name]", "the profile to show")
    .option("--json", "print { name, active, settings }")
    .action((name: string | undefined, raw: unknown) => {
      const options = parseOptions(JsonOption, raw);
      const settings = ctx.settings();
      const target = name ?? settings.profileName;
      const values = requireProfile(readProfiles(settings.home), target);
      const masked = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, isSettingName(k) && (SETTINGS[k] as { secret?: boolean }).secret ? "****" : v]),
      );
      const active = target === settings.profileName;
      if (options.json) return ctx.out.json({ name: target, active, settings: masked });
      ctx.out.line(`Profile '${target}'${active ? " (active)" : ""}`);
      const entries = Object.entries(masked);
      if (entries.length === 0) ctx.out.line("  no settings; add some with baton config set NAME=value");
      for (const [k, v] of entries) ctx.out.line(`  ${k}=${v}`);
    });
}
