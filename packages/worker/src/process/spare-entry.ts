/**
 * A spare executor: a Node process that has loaded Baton (the CLI's `flow-run execute` path and
 * the SDK) before any run exists, then waits for one line on stdin: the run's argv, environment,
 * working folder and umask. It takes them on as its own before anything of the run is loaded,
 * runs that one run, and exits like a cold `baton flow-run execute` would.
 *
 * It is started with a minimal environment (spare-pool.ts) so that nothing it loaded at start
 * could have seen another run's values. What cannot change after start is documented in
 * docs/workers.md (Node options, the Node binary, resource limits); the worker starts such runs cold.
 */
import { parseSpareRequest, type SpareRequest } from "./spare-protocol.js";

const cliMain = process.argv[2];
if (!cliMain) {
  process.stderr.write("spare executor: no CLI entry given\n");
  process.exit(2);
}

const { main } = (await import(cliMain)) as { main(argv: string[]): Promise<number> };
// The run's path imports these; loading them now is what makes the spare warm.
await import("baton");
// The settings' and pull steps' schemas and "baton" for a CommonJS flow's require; tsx and the module hooks only if the run's flow file is not in the compile cache.
await (await import("baton/execute")).prepareExecution();

const request = await readRequest();
if (!request) process.exit(0); // the worker stopped, or replaced this spare
applyRun(request);
process.argv = request.argv;
main(request.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

/** The first line on stdin; undefined when stdin closes first (the worker is gone). */
function readRequest(): Promise<SpareRequest | undefined> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const end = text.indexOf("\n");
      if (end === -1) return;
      process.stdin.off("data", onData);
      process.stdin.off("end", onEnd);
      // Nothing more comes this way: a cold run's stdin is empty too, and an open pipe would keep the process alive.
      process.stdin.destroy();
      resolve(parseSpareRequest(text.slice(0, end)));
    };
    const onEnd = () => resolve(undefined);
    process.stdin.on("data", onData);
    process.stdin.once("end", onEnd);
  });
}

/**
 * The run's environment replaces this process's wholesale, through process.env itself so that
 * native code (getenv: os.tmpdir, child processes, TZ) sees it too; then its folder and umask.
 */
function applyRun(request: SpareRequest): void {
  for (const name of Object.keys(process.env)) delete process.env[name];
  for (const [name, value] of Object.entries(request.env)) process.env[name] = value;
  process.chdir(request.cwd);
  process.umask(request.umask);
}
