import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

/**
 * Schedule math must not depend on the process's own time zone (the rrule package once mixed
 * it in). The schedule tests run again here in child processes under three TZ values, so
 * `npm test` and CI check it without a change to how they are started.
 */
const ZONES = ["UTC", "America/New_York", "Asia/Tokyo"];
const inChild = process.env.BATON_SCHEDULE_TZ_CHILD === "1";
const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../../../..", import.meta.url));
const vitest = `${root}node_modules/vitest/vitest.mjs`;

/** One child vitest run of this folder's tests (about 3 s of CPU); one at a time, so as not to crowd the other test workers. */
function runIn(zone: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [vitest, "run", here, "--reporter=dot"], { cwd: root, env: { ...process.env, TZ: zone, BATON_SCHEDULE_TZ_CHILD: "1" }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
}

describe.skipIf(inChild)("the schedule tests under other process time zones", () => {
  test.each(ZONES)("TZ=%s", async (zone) => {
    const { status, output } = await runIn(zone);
    expect(status, output).toBe(0);
    expect(output).toMatch(/Tests\s+.*\d+ passed/);
    expect(output).not.toMatch(/\d+ failed/);
  });
});

describe.runIf(inChild)("in the child", () => {
  test("the process really runs in the zone asked for", () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(process.env.TZ === "UTC" ? "UTC" : process.env.TZ);
  });
});
