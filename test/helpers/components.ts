import { beforeAll, describe } from "vitest";

/** CI (`.ci/run` exports CI=true) installs every component the tests use: one missing there is a defect. */
export function underCI(): boolean {
  return /^(1|true|yes)$/i.test(process.env.CI ?? "");
}

export class ComponentMissing extends Error {
  override readonly name = "ComponentMissing";
}

/**
 * A describe block that needs a component of the machine (dockerd, busybox, Chromium, sshd...).
 * `missing` says why it cannot run here, with the fix, or is undefined when it can.
 * Under CI the block's tests fail with that reason: a skip would look green. Its first beforeAll
 * throws, so the block's own setup never runs, and CI's summary counts each of its tests failed.
 * On a developer's machine the block is skipped, and says so on stderr, loudly, with the fix.
 */
export function describeNeeding(component: string, missing: string | undefined, title: string, body: () => void): void {
  if (!missing) {
    describe(title, body);
    return;
  }
  if (underCI()) {
    describe(title, () => {
      beforeAll(() => {
        throw new ComponentMissing(`${component} is missing, and CI runs every test: ${missing}`);
      });
      body();
    });
    return;
  }
  const line = `SKIPPED "${title}": ${component} is missing here: ${missing}. Under CI=true these tests fail instead.`;
  const rule = "!".repeat(Math.min(line.length, 100));
  process.stderr.write(`\n${rule}\n${line}\n${rule}\n\n`);
  describe.skip(`${title} (skipped: ${missing})`, body);
}
