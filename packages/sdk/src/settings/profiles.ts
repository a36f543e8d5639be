import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BatonError, ProfileNotFound, UnknownSetting } from "@baton/core/runtime";
import { createRequire } from "node:module";
import { settingDefinitions } from "../core-schemas.js";

/** `$BATON_HOME/profiles.toml`: the active profile's name and each profile's settings. */
export interface ProfilesFile {
  active: string;
  profiles: Record<string, Record<string, string>>;
}

export const DEFAULT_PROFILE = "default";

export class ProfilesFileInvalid extends BatonError {
  override readonly code = "ProfilesFileInvalid";
  override readonly status = 400;
}

export function profilesPath(home: string): string {
  return join(home, "profiles.toml");
}

export function readProfiles(home: string): ProfilesFile {
  const path = profilesPath(home);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { active: DEFAULT_PROFILE, profiles: { [DEFAULT_PROFILE]: {} } };
    throw error;
  }
  let raw: Record<string, unknown>;
  try {
    raw = toml().parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ProfilesFileInvalid(`ProfilesFileInvalid: ${path} is not valid TOML (${(error as Error).message.split("\n")[0]}); fix it or delete it to start over`);
  }
  const profiles: ProfilesFile["profiles"] = {};
  const rawProfiles = (raw.profiles ?? {}) as Record<string, unknown>;
  for (const [name, values] of Object.entries(rawProfiles)) {
    if (typeof values !== "object" || values === null) throw new ProfilesFileInvalid(`ProfilesFileInvalid: [profiles.${name}] in ${path} must be a table of settings`);
    profiles[name] = {};
    for (const [key, value] of Object.entries(values)) {
      if (!settingDefinitions().isSettingName(key)) throw new UnknownSetting(key, settingDefinitions().closestSetting(key));
      profiles[name]![key] = String(value);
    }
  }
  const active = typeof raw.active === "string" ? raw.active : DEFAULT_PROFILE;
  if (!profiles[DEFAULT_PROFILE]) profiles[DEFAULT_PROFILE] = {};
  return { active, profiles };
}

/** The TOML parser, loaded when a profiles file is read or written rather than when "baton" is imported. */
function toml(): typeof import("smol-toml") {
  return createRequire(import.meta.url)("smol-toml") as typeof import("smol-toml");
}

/** Written to a temporary file then renamed, so a crash never leaves half a profiles file. */
export function writeProfiles(home: string, file: ProfilesFile): void {
  const path = profilesPath(home);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, toml().stringify({ active: file.active, profiles: file.profiles }) + "\n", { mode: 0o600 });
  renameSync(tmp, path);
}

export function requireProfile(file: ProfilesFile, name: string): Record<string, string> {
  const profile = file.profiles[name];
  if (!profile) throw new ProfileNotFound(name);
  return profile;
}
