import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cleanEnv } from "../../../test/helpers/cli.js";

const RUNNER = fileURLToPath(new URL("./fixtures/run-flow.mjs", import.meta.url));
export const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export interface FlowProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stdout holds `text`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
}

/** Runs a flow of a fixture .ts file in its own Node process, with only the given BATON_ settings. */
export function runFlowProcess(fixture: string, exportName: string, env: Record<string, string>): FlowProcess {
  const child = spawn(process.execPath, [RUNNER, fixturePath(fixture), exportName], { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const waiters: (() => void)[] = [];
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  });
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput: (text, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${text}" from the flow process; stdout: ${out}\nstderr: ${err}`)), timeoutMs);
        const check = () => {
          if (out.includes(text)) {
            clearTimeout(timer);
            resolve();
          }
        };
        waiters.push(check);
        check();
        void exited.then(() => setTimeout(check, 0));
      }),
  };
}
