import { z } from "zod";
import { SETTINGS } from "@baton/core";
import { setProfileSettings, unsetProfileSettings, type ResolvedSetting, type Settings } from "baton/settings";
import type { CommandContext } from "../context.js";
import { parseOptions } from "../options.js";
import { renderTable } from "../output/table.js";

const ViewOptions = z.object({ showSources: z.boolean().default(false), showDefaults: z.boolean().default(false), json: z.boolean().default(false) });

function shown(setting: ResolvedSetting): string {
  if (setting.raw === undefined) return "(unset)";
  return setting.secret ? "****" : setting.raw;
}

function sourceLabel(setting: ResolvedSetting, settings: Settings): string {
  if (setting.source === "profile") return `profile ${settings.profileName}`;
  return setting.source;
}

/** A profile value the environment overrides has no effect yet: say so rather than let it surprise. */
function warnIfEnvWins(ctx: CommandContext, settings: Settings, name: string): void {
  if (ctx.io.env[name]) ctx.out.note(`Note: ${name} is also set in the environment, which takes precedence over the profile`);
}

export async function setCommand(ctx: CommandContext, assignments: string[]) {
  const settings = ctx.settings();
  const written = setProfileSettings(settings.home, settings.profileName, assignments);
  if (ctx.out.structured) ctx.out.json({ profile: settings.profileName, set: written.map(([name]) => name) });
  for (const [name] of written) {
    ctx.out.line(`Set ${name} in profile '${settings.profileName}'`);
    warnIfEnvWins(ctx, settings, name);
  }
}

export async function unsetCommand(ctx: CommandContext, names: string[]) {
  const settings = ctx.settings();
  const { removed, absent } = unsetProfileSettings(settings.home, settings.profileName, names);
  if (ctx.out.structured) ctx.out.json({ profile: settings.profileName, unset: removed, absent });
  for (const name of removed) {
    ctx.out.line(`Unset ${name} in profile '${settings.profileName}'`);
    warnIfEnvWins(ctx, settings, name);
  }
  for (const name of absent) ctx.out.note(`${name} was not set in profile '${settings.profileName}'; nothing to unset`);
}

export async function viewCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(ViewOptions, raw);
  const settings = ctx.settings();
  // --show-defaults: every setting there is, the unset ones too, so a name can be looked up here.
  const entries = settings.all().filter((s) => options.showDefaults || s.raw !== undefined);
  if (options.json) {
    const described = (s: ResolvedSetting) => (options.showDefaults ? { description: SETTINGS[s.name].description } : {});
    const values = Object.fromEntries(entries.map((s) => [s.name, { value: s.raw === undefined ? null : shown(s), source: sourceLabel(s, settings), ...described(s) }]));
    return ctx.out.json({ profile: settings.profileName, settings: values });
  }
  ctx.out.line(`PROFILE='${settings.profileName}'`);
  if (options.showDefaults) {
    const headers = ["SETTING", "VALUE", ...(options.showSources ? ["SOURCE"] : []), "DESCRIPTION"];
    ctx.out.line(renderTable(headers, entries.map((s) => [s.name, shown(s), ...(options.showSources ? [sourceLabel(s, settings)] : []), SETTINGS[s.name].description])));
  } else if (options.showSources) {
    ctx.out.line(renderTable(["SETTING", "VALUE", "SOURCE"], entries.map((s) => [s.name, shown(s), sourceLabel(s, settings)])));
  } else {
    for (const s of entries) ctx.out.line(`${s.name}=${shown(s)}`);
  }
  for (const warning of settings.warnings) ctx.out.note(warning);
  // A bad value otherwise surfaces only when a command reads it: say so here, where people look.
  for (const s of entries.filter((e) => e.raw !== undefined)) {
    try {
      settings.get(s.name);
    } catch (error) {
      ctx.out.error(ctx.out.errColors.yellow(`Warning: ${(error as Error).message}`));
    }
  }
}
