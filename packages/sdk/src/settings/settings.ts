import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { SETTINGS, SettingName } from "@baton/core";
import { BatonError, InvalidSettingValue, UnknownSetting } from "@baton/core/runtime";
import type { z } from "zod";
import { settingDefinitions } from "../core-schemas.js";
import { DEFAULT_PROFILE, profilesPath, readProfiles } from "./profiles.js";

/**
 * BATON_PROFILE names a profile that does not exist. Falling back to the default profile would
 * send a command meant for one server to another, with another key: refuse, and say what exists.
 */
export class EnvProfileNotFound extends BatonError {
  override readonly code = "ProfileNotFound";
  override readonly status = 404;
  constructor(readonly profile: string, existing: string[], path: string) {
    super(
      `ProfileNotFound: BATON_PROFILE is "${profile}" but ${path} has no profile of that name (profiles: ${existing.sort().join(", ")}); ` +
        `create it with baton profile create ${profile}, or unset BATON_PROFILE or set it to one of those`,
    );
  }
}

export type SettingSource = "env" | "profile" | "default" | "unset";
export type SettingValue<N extends SettingName> = z.output<(typeof SETTINGS)[N]["schema"]>;

export interface ResolvedSetting {
  name: SettingName;
  /** The text as written (env, profile or default). */
  raw: string | undefined;
  source: SettingSource;
  secret: boolean;
}

/**
 * Settings resolved once: environment first, then the active profile, then defaults.
 * Every value is checked against its schema when read, so a bad value names its setting
 * and where it came from.
 */
export class Settings {
  private readonly cache = new Map<SettingName, unknown>();
  private found: string[] | undefined;
  constructor(
    readonly home: string,
    readonly profileName: string,
    private readonly resolved: Map<SettingName, ResolvedSetting>,
    private readonly findWarnings: () => string[] = () => [],
  ) {}

  /**
   * Environment variables that look like mistyped settings. Found when asked (`baton config`):
   * comparing each unknown BATON_ name (a run has several: BATON_FLOW_RUN_ID...) with every
   * setting cost a run's start several milliseconds each time settings were loaded.
   */
  get warnings(): string[] {
    this.found ??= this.findWarnings();
    return this.found;
  }

  get<N extends SettingName>(name: N): SettingValue<N> | undefined {
    if (this.cache.has(name)) return this.cache.get(name) as SettingValue<N>;
    const entry = this.resolved.get(name)!;
    if (entry.raw === undefined) return undefined;
    const { SETTINGS } = settingDefinitions();
    const parsed = SETTINGS[name].schema.safeParse(entry.raw);
    if (!parsed.success) {
      const where = entry.source === "env" ? "the environment" : entry.source === "profile" ? `profile "${this.profileName}"` : "its default";
      // The fix depends on where the value came from: a profile edit cannot override the environment.
      const fix = entry.source === "env" ? `fix or unset the environment variable ${name}` : `fix it with baton config set ${name}=... (or baton config unset ${name})`;
      throw new InvalidSettingValue(
        `InvalidSettingValue: ${name}=${(SETTINGS[name] as { secret?: boolean }).secret ? "****" : JSON.stringify(entry.raw)} (from ${where}) ${parsed.error.issues[0]?.message ?? "is invalid"}; ${fix}`,
      );
    }
    this.cache.set(name, parsed.data);
    return parsed.data as SettingValue<N>;
  }

  source(name: SettingName): ResolvedSetting {
    return this.resolved.get(name)!;
  }

  all(): ResolvedSetting[] {
    return settingDefinitions().SETTING_NAMES.map((n) => this.resolved.get(n)!);
  }
}

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.BATON_HOME || join(homedir(), ".baton"));
}

/** Defaults that depend on where BATON_HOME is. */
function derivedDefault(name: SettingName, home: string): string | undefined {
  if (name === "BATON_RESULTS_DIR") return join(home, "results");
  if (name === "BATON_HOME") return home;
  if (name === "BATON_PROFILE") return DEFAULT_PROFILE;
  return (settingDefinitions().SETTINGS[name] as { default?: string }).default;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const { SETTINGS, SETTING_NAMES, closestSetting, isSettingName } = settingDefinitions();
  const home = defaultHome(env);
  const file = readProfiles(home);
  const profileName = env.BATON_PROFILE || file.active;
  if (env.BATON_PROFILE && !file.profiles[env.BATON_PROFILE]) throw new EnvProfileNotFound(env.BATON_PROFILE, Object.keys(file.profiles), profilesPath(home));
  const profile = file.profiles[profileName] ?? {};
  // A mistyped BATON_ variable silently ignored is a bug report waiting to happen; but the
  // environment also carries run context (BATON_FLOW_RUN_ID...), so this warns, never fails.
  const names = Object.keys(env).filter((key) => key.startsWith("BATON_") && !isSettingName(key));
  const findWarnings = () => {
    const warnings: string[] = [];
    for (const key of names) {
      const suggestion = closestSetting(key);
      if (suggestion && suggestion !== key) warnings.push(new UnknownSetting(key, suggestion).message);
    }
    return warnings;
  };
  const resolved = new Map<SettingName, ResolvedSetting>();
  for (const name of SETTING_NAMES) {
    const secret = Boolean((SETTINGS[name] as { secret?: boolean }).secret);
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv !== "") resolved.set(name, { name, raw: fromEnv, source: "env", secret });
    else if (profile[name] !== undefined) resolved.set(name, { name, raw: profile[name], source: "profile", secret });
    else {
      const d = derivedDefault(name, home);
      resolved.set(name, { name, raw: d, source: d === undefined ? "unset" : "default", secret });
    }
  }
  if (env.BATON_PROFILE) resolved.set("BATON_PROFILE", { name: "BATON_PROFILE", raw: env.BATON_PROFILE, source: "env", secret: false });
  else resolved.set("BATON_PROFILE", { name: "BATON_PROFILE", raw: profileName, source: file.active !== DEFAULT_PROFILE ? "profile" : "default", secret: false });
  return new Settings(home, profileName, resolved, findWarnings);
}
