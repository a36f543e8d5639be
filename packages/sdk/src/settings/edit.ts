import type { SettingName } from "@baton/core";
import { BatonError, ConflictError, InvalidSettingValue, UnknownSetting } from "@baton/core/runtime";
import { DEFAULT_PROFILE, readProfiles, requireProfile, writeProfiles } from "./profiles.js";
import { settingDefinitions } from "../core-schemas.js";

/**
 * Changes to `$BATON_HOME/profiles.toml` (what `baton config` and `baton profile` do). Every
 * change is checked in full before the file is written, so a bad value leaves it as it was.
 */

export class ProfileExists extends ConflictError {
  override readonly code = "ProfileExists";
  constructor(readonly profile: string) {
    super(`ProfileExists: a profile named "${profile}" exists already; switch to it with baton profile use ${profile}, or pick another name`);
  }
}

export class ProfileActive extends ConflictError {
  override readonly code = "ProfileActive";
  constructor(readonly profile: string, via: "file" | "env") {
    super(
      via === "env"
        ? `ProfileActive: "${profile}" is the active profile (BATON_PROFILE is set in the environment); unset BATON_PROFILE, then delete it`
        : `ProfileActive: "${profile}" is the active profile and cannot be deleted; switch first with baton profile use ${DEFAULT_PROFILE}, then delete it`,
    );
  }
}

export class ProfileProtected extends BatonError {
  override readonly code = "ProfileProtected";
  override readonly status = 400;
}

export class InvalidProfileName extends BatonError {
  override readonly code = "InvalidProfileName";
  override readonly status = 400;
  constructor(readonly profile: string) {
    super(`InvalidProfileName: "${profile}" is not a usable profile name; use letters, digits, '-', '_' and '.', starting with a letter or digit`);
  }
}

/** Settings that decide where profiles are and which one is read: they cannot live inside a profile. */
const NOT_IN_PROFILES: Partial<Record<SettingName, string>> = {
  BATON_HOME: "BATON_HOME cannot be set in a profile, since profiles are kept inside it; set it in the environment (export BATON_HOME=/path)",
  BATON_PROFILE: "BATON_PROFILE cannot be set in a profile; switch profiles with baton profile use NAME",
};

export function requireSettingName(name: string): SettingName {
  const { closestSetting, isSettingName } = settingDefinitions();
  if (!isSettingName(name)) throw new UnknownSetting(name, closestSetting(name));
  return name;
}

function requireProfileSetting(name: string): SettingName {
  const setting = requireSettingName(name);
  const reason = NOT_IN_PROFILES[setting];
  if (reason) throw new ProfileProtected(`ProfileProtected: ${reason}`);
  return setting;
}

/** `NAME=value` -> checked against the setting's schema; the text is stored as written. */
export function parseSettingAssignment(assignment: string): [SettingName, string] {
  const at = assignment.indexOf("=");
  if (at === -1) {
    throw new InvalidSettingValue(`InvalidSettingValue: "${assignment}" has no value; write NAME=value, e.g. baton config set BATON_API_URL=http://127.0.0.1:4200/api`);
  }
  const name = requireProfileSetting(assignment.slice(0, at).trim());
  const value = assignment.slice(at + 1);
  if (value === "") throw new InvalidSettingValue(`InvalidSettingValue: ${name} has an empty value; to remove it, use baton config unset ${name}`);
  const { SETTINGS } = settingDefinitions();
  const parsed = SETTINGS[name].schema.safeParse(value);
  if (!parsed.success) {
    const shown = (SETTINGS[name] as { secret?: boolean }).secret ? "****" : JSON.stringify(value);
    throw new InvalidSettingValue(`InvalidSettingValue: ${name}=${shown} ${parsed.error.issues[0]?.message ?? "is invalid"} (${SETTINGS[name].description})`);
  }
  return [name, value];
}

export function setProfileSettings(home: string, profile: string, assignments: string[]): Array<[SettingName, string]> {
  const pairs = assignments.map(parseSettingAssignment);
  const file = readProfiles(home);
  const values = requireProfile(file, profile);
  for (const [name, value] of pairs) values[name] = value;
  writeProfiles(home, file);
  return pairs;
}

/** Returns which of the names were set in the profile (the others were not there to remove). */
export function unsetProfileSettings(home: string, profile: string, names: string[]): { removed: SettingName[]; absent: SettingName[] } {
  const settings = names.map(requireProfileSetting);
  const file = readProfiles(home);
  const values = requireProfile(file, profile);
  const removed: SettingName[] = [];
  const absent: SettingName[] = [];
  for (const name of settings) {
    if (Object.hasOwn(values, name)) {
      delete values[name];
      removed.push(name);
    } else absent.push(name);
  }
  if (removed.length) writeProfiles(home, file);
  return { removed, absent };
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function createProfile(home: string, name: string, from?: string): void {
  if (!PROFILE_NAME.test(name) || name.length > 100) throw new InvalidProfileName(name);
  const file = readProfiles(home);
  if (file.profiles[name]) throw new ProfileExists(name);
  file.profiles[name] = from === undefined ? {} : { ...requireProfile(file, from) };
  writeProfiles(home, file);
}

export function useProfile(home: string, name: string): void {
  const file = readProfiles(home);
  requireProfile(file, name);
  file.active = name;
  writeProfiles(home, file);
}

/**
 * Rename a profile, keeping its settings; the active one stays active under its new name. The
 * default profile is where Baton falls back to, and a profile BATON_PROFILE names would vanish
 * under the environment's feet: both are refused.
 */
export function renameProfile(home: string, from: string, to: string, envProfile?: string): void {
  if (!PROFILE_NAME.test(to) || to.length > 100) throw new InvalidProfileName(to);
  const file = readProfiles(home);
  const values = requireProfile(file, from);
  if (from === DEFAULT_PROFILE) {
    throw new ProfileProtected(`ProfileProtected: the "${DEFAULT_PROFILE}" profile cannot be renamed; copy it with baton profile create ${to} --from ${DEFAULT_PROFILE}`);
  }
  if (file.profiles[to]) throw new ProfileExists(to);
  if (envProfile === from) {
    throw new ProfileProtected(`ProfileProtected: BATON_PROFILE=${from} is set in the environment; unset it, then rename the profile`);
  }
  delete file.profiles[from];
  file.profiles[to] = values;
  if (file.active === from) file.active = to;
  writeProfiles(home, file);
}

/** `envProfile` is BATON_PROFILE from the environment: the profile in use even if the file says otherwise. */
/**
 * Throws what deleteProfile would refuse (no such profile, the default one, the active one), without
 * deleting: `baton profile delete` says so before it asks whether to go ahead.
 */
export function checkProfileDeletable(home: string, name: string, envProfile?: string): void {
  const file = readProfiles(home);
  requireProfile(file, name);
  if (name === DEFAULT_PROFILE) {
    throw new ProfileProtected(`ProfileProtected: the "${DEFAULT_PROFILE}" profile cannot be deleted; clear its settings with baton config unset NAME`);
  }
  if (envProfile === name) throw new ProfileActive(name, "env");
  if (file.active === name) throw new ProfileActive(name, "file");
}

export function deleteProfile(home: string, name: string, envProfile?: string): void {
  const file = readProfiles(home);
  checkProfileDeletable(home, name, envProfile);
  delete file.profiles[name];
  writeProfiles(home, file);
}
