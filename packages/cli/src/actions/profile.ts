import { z } from "zod";
import { SETTINGS, isSettingName } from "@baton/core";
import { checkProfileDeletable, createProfile, defaultHome, deleteProfile, renameProfile, readProfiles, requireProfile, useProfile } from "baton/settings";
import type { CommandContext } from "../context.js";
import { listLimitOption, parseOptions } from "../options.js";
import { firstOf } from "../list.js";
import { confirmRemoval } from "../prompt/confirm.js";

const JsonOption = z.object({ json: z.boolean().default(false) });
const ListOptions = JsonOption.extend({ limit: listLimitOption() });
const CreateOptions = z.object({ from: z.string().min(1, "must name a profile").optional() });

/**
 * Where the profiles are and which one is in use, without loading the settings: these commands
 * are how a user fixes a BATON_PROFILE that names no profile, which loading the settings refuses.
 */
function profilesOf(ctx: CommandContext): { home: string; profileName: string } {
  const home = defaultHome(ctx.io.env);
  return { home, profileName: ctx.io.env.BATON_PROFILE || readProfiles(home).active };
}

export async function lsCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(ListOptions, raw);
  const settings = profilesOf(ctx);
  const names = firstOf(ctx.out, options.limit, Object.keys(readProfiles(settings.home).profiles).sort());
  if (options.json) return ctx.out.json({ active: settings.profileName, profiles: names });
  for (const name of names) ctx.out.line(name === settings.profileName ? `* ${ctx.out.colors.green(name)}` : `  ${name}`);
}

export async function createCommand(ctx: CommandContext, name: string, raw: unknown) {
  const options = parseOptions(CreateOptions, raw);
  const { home } = profilesOf(ctx);
  createProfile(home, name, options.from);
  if (ctx.out.structured) ctx.out.json({ name, settings: requireProfile(readProfiles(home), name) });
  ctx.out.line(`Created profile '${name}'${options.from ? ` from '${options.from}'` : ""}`);
  ctx.out.note(`Switch to it with: baton profile use ${name}`);
}

export async function useCommand(ctx: CommandContext, name: string) {
  const settings = profilesOf(ctx);
  useProfile(settings.home, name);
  ctx.out.result({ active: name }, () => ctx.out.line(`Now using profile '${name}'`));
  const fromEnv = ctx.io.env.BATON_PROFILE;
  if (fromEnv && fromEnv !== name) ctx.out.note(`Note: BATON_PROFILE=${fromEnv} is set in the environment and wins until it is unset`);
}

export async function deleteCommand(ctx: CommandContext, name: string, raw: unknown) {
  const { home } = profilesOf(ctx);
  checkProfileDeletable(home, name, ctx.io.env.BATON_PROFILE || undefined);
  const values = requireProfile(readProfiles(home), name);
  await confirmRemoval(`Delete profile '${name}' with its ${Object.keys(values).length} setting(s)?`, raw);
  deleteProfile(home, name, ctx.io.env.BATON_PROFILE || undefined);
  ctx.out.result({ name, deleted: true }, () => ctx.out.line(`Deleted profile '${name}'`));
}

export async function inspectCommand(ctx: CommandContext, name: string | undefined, raw: unknown) {
  const options = parseOptions(JsonOption, raw);
  const settings = profilesOf(ctx);
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
}

export async function renameCommand(ctx: CommandContext, name: string, newName: string) {
  const { home } = profilesOf(ctx);
  renameProfile(home, name, newName, ctx.io.env.BATON_PROFILE || undefined);
  ctx.out.result({ name: newName, renamed_from: name }, () => ctx.out.line(`Renamed profile '${name}' to '${newName}'`));
}
