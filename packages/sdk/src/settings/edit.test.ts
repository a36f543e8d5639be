import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidSettingValue, ProfileNotFound, UnknownSetting } from "@baton/core";
import {
  ProfileActive,
  ProfileExists,
  ProfileProtected,
  createProfile,
  deleteProfile,
  parseSettingAssignment,
  setProfileSettings,
  unsetProfileSettings,
  useProfile,
} from "./edit.js";
import { loadSettings } from "./settings.js";
import { readProfiles } from "./profiles.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "baton-settings-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("parseSettingAssignment", () => {
  it("checks the name and the value against the setting's schema", () => {
    expect(parseSettingAssignment("BATON_SERVER_PORT=4300")).toEqual(["BATON_SERVER_PORT", "4300"]);
    expect(parseSettingAssignment("BATON_API_URL=http://h:1/api?x=y")).toEqual(["BATON_API_URL", "http://h:1/api?x=y"]);
    expect(() => parseSettingAssignment("BATON_SERVER_PORT=99999")).toThrow(InvalidSettingValue);
    expect(() => parseSettingAssignment("BATON_SERVER_PORT=99999")).toThrow(/BATON_SERVER_PORT/);
    expect(() => parseSettingAssignment("BATON_API_URLL=http://h/api")).toThrow(UnknownSetting);
    expect(() => parseSettingAssignment("BATON_API_URLL=http://h/api")).toThrow(/did you mean BATON_API_URL/);
    expect(() => parseSettingAssignment("BATON_HOME=/x")).toThrow(ProfileProtected);
  });

  it("hides a secret's rejected value", () => {
    expect(() => parseSettingAssignment("BATON_API_AUTH_STRING=no-colon-here")).toThrow(/BATON_API_AUTH_STRING=\*\*\*\* must be user:password/);
  });
});

describe("profile edits", () => {
  it("write nothing when one assignment of several is bad", () => {
    setProfileSettings(home, "default", ["BATON_SERVER_PORT=4300"]);
    expect(() => setProfileSettings(home, "default", ["BATON_SERVER_HOST=0.0.0.0", "BATON_SERVER_PORT=x"])).toThrow(InvalidSettingValue);
    expect(readProfiles(home).profiles.default).toEqual({ BATON_SERVER_PORT: "4300" });
  });

  it("set, unset, create, use and delete, as loadSettings then sees them", () => {
    setProfileSettings(home, "default", ["BATON_SERVER_PORT=4300"]);
    createProfile(home, "dev", "default");
    useProfile(home, "dev");
    setProfileSettings(home, "dev", ["BATON_SERVER_HOST=0.0.0.0"]);
    const settings = loadSettings({ BATON_HOME: home });
    expect(settings.profileName).toBe("dev");
    expect(settings.get("BATON_SERVER_PORT")).toBe(4300);
    expect(settings.get("BATON_SERVER_HOST")).toBe("0.0.0.0");

    expect(unsetProfileSettings(home, "dev", ["BATON_SERVER_HOST", "BATON_API_URL"])).toEqual({ removed: ["BATON_SERVER_HOST"], absent: ["BATON_API_URL"] });
    expect(loadSettings({ BATON_HOME: home }).source("BATON_SERVER_HOST").source).toBe("default");

    expect(() => createProfile(home, "dev")).toThrow(ProfileExists);
    expect(() => createProfile(home, "x", "missing")).toThrow(ProfileNotFound);
    expect(() => useProfile(home, "missing")).toThrow(/baton profile create missing/);
    expect(() => deleteProfile(home, "dev")).toThrow(ProfileActive);
    expect(() => deleteProfile(home, "default")).toThrow(ProfileProtected);
    useProfile(home, "default");
    expect(() => deleteProfile(home, "dev", "dev")).toThrow(/BATON_PROFILE is set in the environment/);
    deleteProfile(home, "dev");
    expect(Object.keys(readProfiles(home).profiles)).toEqual(["default"]);
    expect(readFileSync(join(home, "profiles.toml"), "utf8")).toContain('active = "default"');
  });
});
