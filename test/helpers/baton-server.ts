import type { ChildProcess } from "node:child_process";
import { startBaton, waitFor } from "./cli.js";
import { freePort } from "./tmp.js";

/** The last line `baton server start` prints while starting: every start-up line and warning is out by then. */
const STARTED = "Press Ctrl-C to stop.";

/** A real `baton server start` process that has started. */
export interface BatonServerProcess {
  child: ChildProcess & { output(): string };
  port: number;
  /** `http://127.0.0.1:PORT` (https with TLS). */
  url: string;
  /** `url` + `/api`: what BATON_API_URL holds. */
  apiUrl: string;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  /** The admin key it printed when it made one (a first start without BATON_SERVER_BOOTSTRAP_API_KEY). */
  printedKey(): string | undefined;
  /** SIGTERM (or the given signal), then wait until it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartBatonServerOptions {
  /** BATON_HOME of the server (its SQLite database lives there unless databaseUrl is given). */
  home: string;
  databaseUrl?: string;
  /** A free port is picked when absent. */
  port?: number;
  /** More `server start` arguments (--host, --tls-cert...). */
  args?: string[];
  /** More environment (BATON_SERVER_...). */
  env?: Record<string, string>;
  /** https:// in url and apiUrl (the server was given a certificate). */
  tls?: boolean;
  timeoutMs?: number;
}

/**
 * Start `baton server start` as a user would and wait until it listens and has printed all its
 * start-up lines (its admin key, the "authentication is OFF" warning), or fail with its output
 * when it exits instead.
 */
export async function startBatonServer(options: StartBatonServerOptions): Promise<BatonServerProcess> {
  const port = options.port ?? (await freePort());
  const args = ["server", "start", "--port", String(port), ...(options.databaseUrl ? ["--database-url", options.databaseUrl] : []), ...(options.args ?? [])];
  const child = startBaton(args, { env: { BATON_HOME: options.home, ...options.env } });
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise((resolve) => child.once("close", resolve));
    child.kill(signal);
    await closed;
  };
  try {
    await waitFor(() => child.output().includes(STARTED) || child.exitCode !== null, "baton server start to listen", options.timeoutMs ?? 120_000);
  } catch (error) {
    await stop("SIGKILL");
    throw new Error(`${String(error)}\n${child.output()}`);
  }
  if (child.exitCode !== null) throw new Error(`baton server start exited with ${child.exitCode}:\n${child.output()}`);
  const url = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  return {
    child,
    port,
    url,
    apiUrl: `${url}/api`,
    output: () => child.output(),
    printedKey: () => /^\s+(bat_[A-Za-z0-9_-]{43})$/m.exec(child.output())?.[1],
    stop,
  };
}
