import { afterEach, describe, expect, it } from "vitest";
import { LOG_LEVELS } from "@baton/core";
import { flow, getRunLogger, runFlow, task } from "../index.js";
import { formatTerminalLine } from "./format.js";
import { logMessages, setUpEngine, type EngineEnv } from "../../test/engine-env.js";

describe("terminal lines", () => {
  it("read `HH:MM:SS.mmm | LEVEL   | who - message`, coloured only when asked", () => {
    const at = new Date(2026, 0, 2, 3, 4, 5, 6);
    expect(formatTerminalLine(at, LOG_LEVELS.info, "Task run 'load-0'", "Loaded item: ALPHA", false)).toBe(
      "03:04:05.006 | INFO    | Task run 'load-0' - Loaded item: ALPHA\n",
    );
    expect(formatTerminalLine(at, LOG_LEVELS.critical, undefined, "x", false)).toBe("03:04:05.006 | CRITICAL | x\n");
    expect(formatTerminalLine(at, LOG_LEVELS.error, undefined, "x", true)).toContain("\x1b[31mERROR  \x1b[0m");
  });
});

describe("run logs recorded on the server", () => {
  let env: EngineEnv | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  const chatty = task("chatty", (n: number) => {
    const logger = getRunLogger();
    logger.debug(`debug ${n}`);
    logger.info("info %d", n);
    logger.warn(`warning ${n}`);
    logger.error(new Error(`error ${n}`));
    logger.critical({ n });
  });
  const chattyFlow = flow("chatty-flow", async () => {
    getRunLogger().info("from the flow");
    for (let i = 0; i < 3; i++) await chatty(i);
  });

  it("keeps every line at or above BATON_LOGGING_LEVEL, in order, with its level and task run", async () => {
    env = await setUpEngine("in-process sqlite", { BATON_LOGGING_LEVEL: "debug" });
    const outcome = await runFlow(chattyFlow, {});
    const logs = await logMessages(env.client, outcome.flowRunId);
    const user = logs.filter((l) => !/^(Beginning|Created|Finished)/.test(l.message));
    expect(user.map((l) => [l.level, l.message.split("\n")[0]])).toEqual([
      [20, "from the flow"],
      ...[0, 1, 2].flatMap((n) => [
        [10, `debug ${n}`],
        [20, `info ${n}`],
        [30, `warning ${n}`],
        [40, `Error: error ${n}`],
        [50, `{ n: ${n} }`],
      ]),
    ]);
    expect(user[0]!.task_run_id).toBeNull();
    expect(user[1]!.task_run_id).not.toBeNull();
    expect(logs.some((l) => l.message === "Created task run 'chatty-0' for task 'chatty'")).toBe(true);
  });

  it("drops lines below the level, and sends none with BATON_LOGGING_TO_API=false", async () => {
    env = await setUpEngine("in-process sqlite", { BATON_LOGGING_LEVEL: "WARNING" });
    const warned = await runFlow(chattyFlow, {});
    const levels = (await logMessages(env.client, warned.flowRunId)).map((l) => l.level);
    expect(levels.length).toBeGreaterThan(0);
    expect(levels.every((l) => l >= 30)).toBe(true);
    await env.close();

    env = await setUpEngine("in-process sqlite", { BATON_LOGGING_TO_API: "false" });
    const silent = await runFlow(chattyFlow, {});
    expect(silent.state.type).toBe("COMPLETED");
    expect(await logMessages(env.client, silent.flowRunId)).toEqual([]);
  });
});
