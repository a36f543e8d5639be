import { spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runBundle } from "./run-bundle.js";
import { encodeSpareRequest, type SpareRequest } from "./spare-protocol.js";

/**
 * Names a Node process reads once, at start (options, module paths, trust store, ICU locale,
 * thread pool): a run whose value differs from the spare's cannot use a spare and starts cold.
 */
const FIXED_AT_START = /^(NODE_|UV_|LANG$|LANGUAGE$|LC_)/;

/** The longest a taken spare's replacement waits for the run that took it to end. */
const REFILL_DELAY_MS = 1000;

interface Spare {
  child: ChildProcess;
  stamp: string;
  alive: boolean;
}

/** Where the installed Baton lives: a spare is only as good as the code it loaded. */
interface Installation {
  entry: string;
  cliMain: string;
  files: string[];
}

let installation: Installation | null | undefined;

function findInstallation(): Installation | null {
  if (installation !== undefined) return installation;
  installation = null;
  try {
    const workerMain = fileURLToPath(import.meta.resolve("@baton/worker"));
    const cliMain = fileURLToPath(import.meta.resolve("@baton/cli"));
    const sdkMain = fileURLToPath(import.meta.resolve("baton"));
    // The SDK loads from dist/bundle/ (packages/sdk/scripts/bundle.mjs): its package.json is two levels up.
    const packageFiles = [workerMain, cliMain, sdkMain, join(dirname(sdkMain), "..", "..", "package.json")];
    // From the run bundle when it is built: the spare loads a few files instead of some 260.
    const bundle = runBundle();
    if (bundle) installation = { entry: bundle.spareEntry, cliMain: bundle.cli, files: [...packageFiles, bundle.spareEntry, bundle.cli, bundle.sdk] };
    else {
      const entry = join(dirname(workerMain), "process", "spare-entry.js");
      statSync(entry);
      installation = { entry, cliMain, files: [...packageFiles, entry] };
    }
  } catch {
    // No built CLI beside this worker: every run starts cold.
  }
  return installation;
}

/** Changes when Baton is upgraded or rebuilt in place: spares started before then are replaced. */
function versionStamp(install: Installation): string {
  return install.files.map((file) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0).join(":");
}

/**
 * Spare executors kept by a process worker: Node processes that have loaded Baton and wait for
 * one run each (spare-entry.ts). A spare taken is replaced at once; a spare is never reused.
 */
export class SparePool {
  private readonly spares: Spare[] = [];
  private closed = false;
  private readonly install: Installation | null;

  constructor(
    private readonly count: number,
    /** The environment spares start with: only what every run inherits from the worker anyway. */
    private readonly baseEnv: NodeJS.ProcessEnv,
  ) {
    this.install = count > 0 ? findInstallation() : null;
    this.fill();
  }

  /** Spares alive now (starting or waiting). */
  get size(): number {
    return this.spares.filter((s) => s.alive).length;
  }

  /** The pids of the spares waiting now. */
  pids(): number[] {
    return this.spares.filter((s) => s.alive && s.child.pid !== undefined).map((s) => s.child.pid!);
  }

  /**
   * A spare started on this run's behalf (its env, folder and umask sent to it), or undefined
   * when none fits: none left, Baton changed since it started, or the run sets something a
   * running Node cannot take on.
   */
  take(request: SpareRequest): ChildProcess | undefined {
    if (!this.install || this.closed) return undefined;
    if (!fitsSpare(request.env, this.baseEnv)) return undefined;
    const stamp = versionStamp(this.install);
    for (const old of this.spares.filter((s) => s.alive && s.stamp !== stamp)) this.retire(old);
    const index = this.spares.findIndex((s) => s.alive && s.stamp === stamp);
    if (index === -1) {
      this.fill();
      return undefined;
    }
    const [spare] = this.spares.splice(index, 1);
    spare!.child.stdin!.end(encodeSpareRequest(request));
    this.refillAfter(spare!.child);
    return spare!.child;
  }

  /**
   * The replacement starts once the run that took a spare has ended, or REFILL_DELAY_MS after it
   * started, whichever comes first: loading Node and Baton takes a core for a few hundred
   * milliseconds, and started at once it slowed down the very run the spare was there to speed
   * up (on 2 cores, with the server on the other). A run arriving before then starts cold (and
   * starts the replacement then), as it would with every spare taken.
   */
  private refillAfter(child: ChildProcess): void {
    let done = false;
    const refill = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.fill();
    };
    const timer = setTimeout(refill, REFILL_DELAY_MS);
    timer.unref();
    child.once("exit", refill);
  }

  close(): void {
    this.closed = true;
    for (const spare of [...this.spares]) this.retire(spare);
  }

  private fill(): void {
    if (!this.install || this.closed) return;
    while (this.spares.filter((s) => s.alive).length < this.count) this.spares.push(this.start(this.install));
  }

  private start(install: Installation): Spare {
    const child = spawn(process.execPath, [install.entry, install.cliMain], {
      env: this.baseEnv,
      cwd: "/",
      // Its own process group, as a cold run has: the run leads it, and cancelling ends all of it.
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const spare: Spare = { child, stamp: versionStamp(install), alive: true };
    const gone = () => {
      spare.alive = false;
      const at = this.spares.indexOf(spare);
      if (at !== -1) this.spares.splice(at, 1);
    };
    child.once("exit", gone);
    child.once("error", gone);
    child.stdin!.on("error", () => undefined);
    return spare;
  }

  /** Closing its stdin tells a waiting spare to exit; a spare still loading is ended outright. */
  private retire(spare: Spare): void {
    spare.alive = false;
    const at = this.spares.indexOf(spare);
    if (at !== -1) this.spares.splice(at, 1);
    spare.child.stdin!.end();
    spare.child.kill("SIGTERM");
  }
}

/** Every start-time setting of the run equals the spare's. */
export function fitsSpare(runEnv: Record<string, string>, spareEnv: NodeJS.ProcessEnv): boolean {
  const names = new Set([...Object.keys(runEnv), ...Object.keys(spareEnv)].filter((n) => FIXED_AT_START.test(n)));
  for (const name of names) if ((runEnv[name] ?? undefined) !== (spareEnv[name] ?? undefined)) return false;
  return true;
}
