import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runBaton } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

let home: { path: string; remove(): void };
let env: Record<string, string>;
beforeEach(() => {
  home = tempDir("baton-home-");
  env = { BATON_HOME: home.path };
});
afterEach(() => home.remove());

const baton = (args: string[], extra: Record<string, string> = {}) => runBaton(args, { env: { ...env, ...extra } });

interface ConfigJson {
  profile: string;
  settings: Record<string, { value: string; source: string }>;
}
async function viewJson(extra: Record<string, string> = {}): Promise<ConfigJson> {
  const result = await baton(["config", "view", "--json"], extra);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ConfigJson;
}

describe("baton config", () => {
  it("takes the environment over the profile over the default, and says which", async () => {
    expect((await viewJson()).settings.BATON_SERVER_PORT).toEqual({ value: "4200", source: "default" });

    const set = await baton(["config", "set", "BATON_SERVER_PORT=4300", "BATON_API_URL=http://127.0.0.1:4300/api"]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("Set BATON_SERVER_PORT in profile 'default'");
    expect(readFileSync(join(home.path, "profiles.toml"), "utf8")).toContain("BATON_SERVER_PORT");
    expect((await viewJson()).settings.BATON_SERVER_PORT).toEqual({ value: "4300", source: "profile default" });

    const fromEnv = await viewJson({ BATON_SERVER_PORT: "4400" });
    expect(fromEnv.settings.BATON_SERVER_PORT).toEqual({ value: "4400", source: "env" });
    expect(fromEnv.settings.BATON_API_URL).toEqual({ value: "http://127.0.0.1:4300/api", source: "profile default" });

    const table = await baton(["config", "view", "--show-sources"], { BATON_SERVER_PORT: "4400" });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/BATON_SERVER_PORT\s+4400\s+env/);
    expect(table.stdout).toMatch(/BATON_API_URL\s+http:\/\/127\.0\.0\.1:4300\/api\s+profile default/);
    expect(table.stdout).toMatch(/BATON_SERVER_HOST\s+127\.0\.0\.1\s+default/);

    const plain = await baton(["config", "view"]);
    expect(plain.stdout).toContain("BATON_SERVER_PORT=4300");
    expect(plain.stdout).not.toContain("profile default");

    const unset = await baton(["config", "unset", "BATON_SERVER_PORT"]);
    expect(unset.code, unset.stderr).toBe(0);
    expect(unset.stdout).toContain("Unset BATON_SERVER_PORT in profile 'default'");
    expect((await viewJson()).settings.BATON_SERVER_PORT).toEqual({ value: "4200", source: "default" });

    const again = await baton(["config", "unset", "BATON_SERVER_PORT"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("was not set");
  });

  it("flags an invalid value from the environment when viewing", async () => {
    const result = await baton(["config", "view"], { BATON_SERVER_PORT: "eighty" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("BATON_SERVER_PORT=eighty");
    expect(result.stderr).toMatch(/Warning: .*BATON_SERVER_PORT="eighty" \(from the environment\)/);
  });

  it("warns when the environment overrides the value just set", async () => {
    const result = await baton(["config", "set", "BATON_SERVER_PORT=4300"], { BATON_SERVER_PORT: "4400" });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("BATON_SERVER_PORT is also set in the environment");
  });

  it("never shows secrets", async () => {
    expect((await baton(["config", "set", "BATON_API_KEY=super-secret-key"])).code).toBe(0);
    const view = await baton(["config", "view", "--show-sources"]);
    expect(view.stdout).toMatch(/BATON_API_KEY\s+\*\*\*\*\s+profile default/);
    expect(view.stdout).not.toContain("super-secret-key");
    expect((await viewJson()).settings.BATON_API_KEY?.value).toBe("****");
    const inspect = await baton(["profile", "inspect"]);
    expect(inspect.stdout).toContain("BATON_API_KEY=****");
    expect(inspect.stdout).not.toContain("super-secret-key");
  });

  it("refuses an unknown setting with the closest known name, writing nothing", async () => {
    const result = await baton(["config", "set", "BATON_SERVER_PORT=4300", "BATON_API_ULR=http://x:1/api"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"BATON_API_ULR" is not a Baton setting; did you mean BATON_API_URL?');
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack
    expect((await viewJson()).settings.BATON_SERVER_PORT?.source).toBe("default");

    const unset = await baton(["config", "unset", "BATON_SERVER_PROT"]);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain("did you mean BATON_SERVER_PORT?");
  });

  it("refuses an invalid value, naming the setting, before writing anything", async () => {
    const result = await baton(["config", "set", "BATON_API_URL=http://ok:1/api", "BATON_SERVER_PORT=not-a-port"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("BATON_SERVER_PORT");
    expect((await viewJson()).settings.BATON_API_URL).toBeUndefined();

    const bool = await baton(["config", "set", "BATON_LOGGING_TO_API=maybe"]);
    expect(bool.code).toBe(1);
    expect(bool.stderr).toContain("BATON_LOGGING_TO_API");
    expect(bool.stderr).toContain("must be true or false");

    const noValue = await baton(["config", "set", "BATON_API_URL"]);
    expect(noValue.code).toBe(1);
    expect(noValue.stderr).toContain("NAME=value");
  });

  it("keeps BATON_HOME and BATON_PROFILE out of profiles, saying what to do instead", async () => {
    const homeSet = await baton(["config", "set", "BATON_HOME=/elsewhere"]);
    expect(homeSet.code).toBe(1);
    expect(homeSet.stderr).toContain("set it in the environment");
    const profileSet = await baton(["config", "set", "BATON_PROFILE=dev"]);
    expect(profileSet.code).toBe(1);
    expect(profileSet.stderr).toContain("baton profile use");
  });
});

describe("baton profile", () => {
  it("creates, switches, inspects and deletes profiles", async () => {
    expect((await baton(["config", "set", "BATON_SERVER_PORT=4301"])).code).toBe(0);

    const create = await baton(["profile", "create", "staging", "--from", "default"]);
    expect(create.code, create.stderr).toBe(0);
    expect((await baton(["profile", "create", "empty"])).code).toBe(0);

    const ls = await baton(["profile", "ls"]);
    expect(ls.stdout.split("\n")).toEqual(expect.arrayContaining(["* default", "  empty", "  staging"]));

    const use = await baton(["profile", "use", "staging"]);
    expect(use.code, use.stderr).toBe(0);
    expect((await baton(["config", "set", "BATON_SERVER_HOST=0.0.0.0"])).code).toBe(0);
    const view = await viewJson();
    expect(view.profile).toBe("staging");
    expect(view.settings.BATON_SERVER_PORT).toEqual({ value: "4301", source: "profile staging" });
    expect(view.settings.BATON_SERVER_HOST).toEqual({ value: "0.0.0.0", source: "profile staging" });

    const inspect = JSON.parse((await baton(["profile", "inspect", "--json"])).stdout);
    expect(inspect).toEqual({ name: "staging", active: true, settings: { BATON_SERVER_PORT: "4301", BATON_SERVER_HOST: "0.0.0.0" } });
    const inspectDefault = JSON.parse((await baton(["profile", "inspect", "default", "--json"])).stdout);
    expect(inspectDefault).toEqual({ name: "default", active: false, settings: { BATON_SERVER_PORT: "4301" } });
    expect(JSON.parse((await baton(["profile", "ls", "--json"])).stdout)).toEqual({ active: "staging", profiles: ["default", "empty", "staging"] });

    // BATON_PROFILE in the environment picks the profile for one command.
    expect((await viewJson({ BATON_PROFILE: "empty" })).settings.BATON_SERVER_HOST).toEqual({ value: "127.0.0.1", source: "default" });

    // Refused before it asks: no --yes needed to hear why not.
    const refuse = await baton(["profile", "delete", "staging"]);
    expect(refuse.code).toBe(1);
    expect(refuse.stderr).toContain("active profile");
    expect(refuse.stderr).toContain("baton profile use default");

    expect((await baton(["profile", "use", "default"])).code).toBe(0);
    const del = await baton(["profile", "delete", "staging", "--yes"]);
    expect(del.code, del.stderr).toBe(0);
    expect(JSON.parse((await baton(["profile", "ls", "--json"])).stdout).profiles).toEqual(["default", "empty"]);
  });

  it("names the command that creates a missing profile", async () => {
    const use = await baton(["profile", "use", "prod"]);
    expect(use.code).toBe(1);
    expect(use.stderr).toContain("baton profile create prod");
    const inspect = await baton(["profile", "inspect", "prod"]);
    expect(inspect.code).toBe(1);
    expect(inspect.stderr).toContain("baton profile create prod");
    const from = await baton(["profile", "create", "x", "--from", "prod"]);
    expect(from.code).toBe(1);
    expect(from.stderr).toContain("baton profile create prod");
  });

  it("refuses a profile that exists, the default profile's deletion, and odd names", async () => {
    expect((await baton(["profile", "create", "dev"])).code).toBe(0);
    const twice = await baton(["profile", "create", "dev"]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("exists already");
    const del = await baton(["profile", "delete", "default"]);
    expect(del.code).toBe(1);
    expect(del.stderr).toContain("cannot be deleted");
    const odd = await baton(["profile", "create", "../evil"]);
    expect(odd.code).toBe(1);
    expect(odd.stderr).toContain("not a usable profile name");
  });
});

describe("baton command line", () => {
  it("exits 2 on usage errors and 0 on --help", async () => {
    const unknown = await baton(["flow-runz"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command");
    const option = await baton(["flow-run", "ls", "--colour"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option");
    const limit = await baton(["flow-run", "ls", "--limit", "lots"]);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain("--limit must be a number");
    const state = await baton(["flow-run", "ls", "--state", "DONE"]);
    expect(state.code).toBe(2);
    expect(state.stderr).toContain('--state "DONE" is not a state');
    const missing = await baton(["run"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument");

    const help = await baton(["flow-run", "ls", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--state");
    const version = await baton(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("prints no color codes when NO_COLOR is set or output is not a terminal", async () => {
    const result = await baton(["profile", "ls"]);
    expect(result.stdout).not.toContain("\u001b[");
    const forced = await runBaton(["profile", "ls"], { env: { ...env, NO_COLOR: "", FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("\u001b[");
  });
});
