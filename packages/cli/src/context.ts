import { createClientFromSettings, type BatonClient } from "baton";
import { loadSettings, type Settings } from "baton/settings";
import { Output, type CliIo } from "./output/io.js";

/**
 * What every command gets: where to write, the settings, and an API client made on first use
 * and closed when the command ends (a local client holds the SQLite database open).
 */
export class CommandContext {
  readonly out: Output;
  /** A command that reported its own failure (a run that did not complete) sets this. */
  exitCode = 0;
  private cachedSettings: Settings | undefined;
  private openClient: Promise<BatonClient> | undefined;

  constructor(readonly io: CliIo) {
    this.out = new Output(io);
  }

  settings(): Settings {
    this.cachedSettings ??= loadSettings(this.io.env);
    return this.cachedSettings;
  }

  client(): Promise<BatonClient> {
    this.openClient ??= createClientFromSettings(this.settings());
    return this.openClient;
  }

  async close(): Promise<void> {
    const client = this.openClient;
    this.openClient = undefined;
    if (client) await (await client.catch(() => undefined))?.close();
  }
}
