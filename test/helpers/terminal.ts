import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "./cli.js";
import { tempDir } from "./tmp.js";

/**
 * A real terminal for one command: a tmux session of its own (its own server socket, so it
 * touches no other tmux), driven with send-keys as a person types. Needs tmux (apt: tmux).
 */
export interface Terminal {
  /** tmux key names or literal text: `keys("abc", "Left", "d", "Enter")`. */
  keys(...keys: string[]): void;
  /** Text typed as is, key names included (`literal("Left")` types L-e-f-t); for emoji and such. */
  literal(text: string): void;
  screen(): string;
  waitForScreen(pattern: RegExp, what: string): Promise<string>;
  /** The command's exit code, once it has ended. */
  exited(): Promise<number>;
  stop(): void;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function tmuxUnavailableReason(): string | undefined {
  try {
    execFileSync("tmux", ["-V"], { stdio: "ignore" });
    return undefined;
  } catch {
    return "tmux is not installed (apt-get install tmux)";
  }
}

export function startTerminal(command: string[], env: Record<string, string>): Terminal {
  const dir = tempDir("baton-tty-");
  const socket = join(dir.path, "tmux.sock");
  const exitFile = join(dir.path, "exit-code");
  const tmux = (args: string[]) => execFileSync("tmux", ["-u", "-S", socket, ...args], { encoding: "utf8", env: { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" } });
  // The variables go on the command line: a tmux server takes its environment from whoever started it.
  const assignments = Object.entries({ LANG: "C.UTF-8", LC_ALL: "C.UTF-8", ...env }).map(([k, v]) => `${k}=${shellQuote(v)}`);
  const line = `env ${assignments.join(" ")} ${command.map(shellQuote).join(" ")}; echo $? > ${shellQuote(exitFile)}; sleep 600`;
  tmux(["new-session", "-d", "-s", "t", "-x", "200", "-y", "50", "sh", "-c", line]);
  return {
    keys: (...keys) => void tmux(["send-keys", "-t", "t", ...keys]),
    literal: (text) => void tmux(["send-keys", "-t", "t", "-l", text]),
    screen: () => tmux(["capture-pane", "-p", "-t", "t"]),
    waitForScreen(pattern, what) {
      return waitFor(() => {
        const text = tmux(["capture-pane", "-p", "-t", "t"]);
        return pattern.test(text) ? text : undefined;
      }, what, 60_000);
    },
    async exited() {
      await waitFor(() => existsSync(exitFile) && readFileSync(exitFile, "utf8").trim() !== "", "the command in the terminal to end", 60_000);
      return Number(readFileSync(exitFile, "utf8").trim());
    },
    stop() {
      try {
        tmux(["kill-server"]);
      } catch {
        // Already gone.
      }
      dir.remove();
    },
  };
}
