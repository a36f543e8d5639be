import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * What a process run takes from its worker's environment: finding programs, locale and time
 * zone. Nothing else: the worker's profile (BATON_HOME), key, server settings and whatever its
 * host exported stay with the worker. More reaches a run through the pool's or the deployment's
 * `env`, or `{{ $NAME }}` there for a name the worker's admin allows (--allow-env).
 */
const INHERITED = [
  "PATH", "LANG", "LANGUAGE", "TZ", "TERM", "USER", "LOGNAME", "SHELL",
  // The host's trust store (paths to public certificates), as a container's image has its own.
  "SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS", "GIT_SSL_CAINFO", "GIT_SSL_CAPATH",
];
const INHERITED_PREFIXES = ["LC_"];

/**
 * Worker settings that tune how a run reports (never credentials or where a profile lives), so a
 * worker started with BATON_LOGGING_LEVEL=DEBUG gets runs that log at DEBUG.
 */
const RUN_SETTINGS = ["BATON_LOGGING_LEVEL", "BATON_LOGGING_TO_API", "BATON_LOGGING_LOG_PRINTS", "BATON_FLOW_RUN_HEARTBEAT_SECONDS", "BATON_API_REQUEST_TIMEOUT_SECONDS"];

/**
 * A worker that records in-process has no server and no key: its runs open the same local
 * database, found through the same BATON_HOME (or database URL).
 */
const LOCAL_RECORDING = ["BATON_HOME", "BATON_PROFILE", "BATON_SERVER_DATABASE_URL"];

/**
 * The environment of a spare executor (spare-pool.ts): only what every run of this worker inherits
 * from it anyway, so nothing a spare loads before its run could see more than that run may.
 */
export function spareEnvironment(worker: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: "/usr/local/bin:/usr/bin:/bin" };
  for (const [name, value] of Object.entries(worker)) {
    if (value !== undefined && (INHERITED.includes(name) || INHERITED_PREFIXES.some((p) => name.startsWith(p)))) env[name] = value;
  }
  return env;
}

/** A run's own folder: its working directory (unless working_dir is set), HOME and TMPDIR, all 0700. */
export interface RunFolders {
  root: string;
  work: string;
  home: string;
  tmp: string;
}

export function makeRunFolders(): RunFolders {
  const root = mkdtempSync(join(tmpdir(), "baton-run-"));
  const folders = { root, work: join(root, "work"), home: join(root, "home"), tmp: join(root, "tmp") };
  for (const dir of [folders.work, folders.home, folders.tmp]) mkdirSync(dir, { mode: 0o700 });
  return folders;
}

/**
 * The environment of a process run, listed rather than inherited: the names above from the
 * worker, its own HOME and TMPDIR, the job's env, then the run's own BATON_* values (its server,
 * its token, its identity), which the job's env cannot override.
 */
export function processRunEnvironment(options: {
  worker: NodeJS.ProcessEnv;
  folders: Pick<RunFolders, "home" | "tmp">;
  jobEnv: Record<string, string>;
  runValues: Record<string, string>;
  /** Set for a worker that records in-process: the BATON_HOME its runs share with it. */
  localHome?: string | undefined;
}): NodeJS.ProcessEnv {
  const { worker } = options;
  const inherited: NodeJS.ProcessEnv = {};
  const wanted = [...INHERITED, ...RUN_SETTINGS, ...(options.localHome ? LOCAL_RECORDING : [])];
  for (const [name, value] of Object.entries(worker)) {
    if (value === undefined) continue;
    if (wanted.includes(name) || INHERITED_PREFIXES.some((p) => name.startsWith(p))) inherited[name] = value;
  }
  return {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    ...inherited,
    HOME: options.folders.home,
    TMPDIR: options.folders.tmp,
    ...(options.localHome ? { BATON_HOME: inherited.BATON_HOME ?? options.localHome } : {}),
    ...options.jobEnv,
    ...options.runValues,
  };
}
