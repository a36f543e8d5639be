import type { BatonClient } from "baton";
import type { Settings } from "baton/settings";
import { UsageError } from "./errors.js";
import { Output, type CliIo } from "./output/io.js";

type SettingsModule = typeof import("baton/settings");

/**
 * What every command gets: where to write, the settings, and an API client made on first use
 * and closed when the command ends (a local client holds the SQLite database open). The settings
 * and the client's code are loaded by ready(), when a command runs: not for --help or --version.
 */
export class CommandContext {
  readonly out: Output;
  /** A command that reported its own failure (a run that did not complete) sets this. */
  exitCode = 0;
  private cachedSettings: Settings | undefined;
  private openClient: Promise<BatonClient> | undefined;
  private settingsModule: SettingsModule | undefined;
  private profileFromFlag: string | undefined;

  constructor(readonly io: CliIo) {
    this.out = new Output(io);
  }

  /**
   * The global `--profile NAME`: the command runs with that profile, as BATON_PROFILE=NAME would.
   * Set in the environment itself, so a process the command starts (a flow run of `baton run`)
   * reads the same profile.
   */
  selectProfile(name: string): void {
    this.io.env.BATON_PROFILE = name;
    this.profileFromFlag = name;
  }

  /** Loads what settings() needs; every command's action is called after it (see lazy.ts). */
  async ready(): Promise<void> {
    this.settingsModule ??= await import("baton/settings");
    const name = this.profileFromFlag;
    if (name !== undefined) {
      this.profileFromFlag = undefined;
      const { defaultHome, profilesPath, readProfiles } = this.settingsModule;
      const home = defaultHome(this.io.env);
      const existing = Object.keys(readProfiles(home).profiles).sort();
      if (!existing.includes(name)) {
        throw new UsageError(`--profile ${name}: ${profilesPath(home)} has no profile of that name (profiles: ${existing.join(", ")}); create it with baton profile create ${name}, or pick one of those`);
      }
    }
  }

  settings(): Settings {
    if (!this.settingsModule) throw new Error("CommandContext.settings() before ready(): a command action must be wrapped in lazy()");
    this.cachedSettings ??= this.settingsModule.loadSettings(this.io.env);
    return this.cachedSettings;
  }

  client(): Promise<BatonClient> {
    this.openClient ??= this.ready().then(async () => (await import("baton")).createClientFromSettings(this.settings()));
    return this.openClient;
  }

  async close(): Promise<void> {
    const client = this.openClient;
    this.openClient = undefined;
    if (client) await (await client.catch(() => undefined))?.close();
  }
}
