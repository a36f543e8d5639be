import { execFile } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "../helpers/tmp.js";

const run = promisify(execFile);

/** The Debian binaries of the newest PostgreSQL installed (initdb, pg_ctl). */
function binDir(): string {
  for (const version of ["17", "16", "15", "14", "13"]) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, "initdb"))) return dir;
  }
  return "";
}

export interface PrivatePostgres {
  /** postgresql://postgres@127.0.0.1:PORT/DB of a database made for the test. */
  url: string;
  database: string;
  /** pg_ctl restart -m fast: every connection is cut, the server is back a moment later. */
  restart(): Promise<void>;
  /** pg_terminate_backend on every connection to the test's database; how many were cut. */
  terminateConnections(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL of the test's own (initdb in a temporary folder, its own port), so restarting
 * it touches no other test; the machine's cluster is never restarted. As root, it runs as the
 * postgres user, which initdb requires.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), "baton-pg-"));
  const data = join(dir, "data");
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  chmodSync(dir, 0o700);
  const exec = (file: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", join(bin, file), ...args]) : run(join(bin, file), args));
  await exec("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`;
  const pgCtl = (...args: string[]) => exec("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-o", options, "-w", ...args]);
  await pgCtl("start");
  const database = "baton_faults";
  const admin = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${database}`);
  await c.end();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/${database}`,
    database,
    restart: async () => {
      await pgCtl("-m", "fast", "restart");
    },
    terminateConnections: async () => {
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        const result = await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database]);
        return result.rowCount ?? 0;
      } finally {
        await client.end();
      }
    },
    stop: async () => {
      await pgCtl("-m", "immediate", "stop").catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
