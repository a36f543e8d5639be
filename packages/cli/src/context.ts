import type { BatonClient } from "baton";
import type { Settings } from "baton/settings";
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

  constructor(readonly io: CliIo) {
    this.out = new Output(io);
  }

  /** Loads what settings() needs; every command's action is called after it (see lazy.ts). */
  async ready(): Promise<void> {
    this.settingsModule ??= await import("baton/settings");
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
