import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { tempDir } from "../../../../test/helpers/tmp.js";
import { flow } from "../flow/index.js";
import { entrypointOf } from "./flow-entrypoint.js";
import { gitCloneStep, InvalidDeploymentTriggers, InvalidFlowSource, parseTriggers } from "./from-source.js";
import { secret } from "./secret.js";
import { servePoolName } from "./serve.js";

const dir = tempDir("baton-deploy-");
afterAll(() => dir.remove());

test("secret() is a reference, and fromSource() refuses a credential that is not one", () => {
  expect(secret("deploy-key")).toBe("{{ baton.secrets.deploy-key }}");
  expect(() => secret("bad name")).toThrow(/secret\("bad name"\)/);
  const step = gitCloneStep({ source: "git@example.com:org/repo.git", entrypoint: "f.ts:f", ref: "main", sshKey: secret("deploy-key"), knownHosts: "example.com ssh-ed25519 AAAA" });
  expect(step).toMatchObject({ repository: "git@example.com:org/repo.git", branch: "main", ssh_key: "{{ baton.secrets.deploy-key }}" });
  expect(gitCloneStep({ source: "https://example.com/r.git", entrypoint: "f.ts:f", ref: "a".repeat(40) }).commit_sha).toBe("a".repeat(40));
  expect(() => gitCloneStep({ source: "git@example.com:org/repo.git", entrypoint: "f.ts:f", sshKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc" })).toThrow(InvalidFlowSource);
  expect(() => gitCloneStep({ source: "https://user:pw@example.com/r.git", entrypoint: "f.ts:f" })).toThrow(/repository/);
  const f = flow("some-flow", () => 1);
  expect(() => f.fromSource({ source: "https://example.com/r.git", entrypoint: "flows/f.ts" })).toThrow(/entrypoint/);
});

test("a served flow's entrypoint is read from the file that defined it", () => {
  const file = join(dir.path, "flows", "etl.ts");
  mkdirSync(join(dir.path, "flows"));
  writeFileSync(file, `import { flow } from "baton";\nexport const other = flow("other", () => 0);\nexport const etlFlow = flow({ name: "etl-flow", retries: 1 }, async () => 1);\n`);
  expect(entrypointOf(file, "etl-flow", dir.path)).toBe("flows/etl.ts:etlFlow");
  expect(entrypointOf(file, "other", dir.path)).toBe("flows/etl.ts:other");
  expect(entrypointOf(file, "missing", dir.path)).toBeUndefined();
  expect(entrypointOf(undefined, "etl-flow")).toBeUndefined();
  // flow() remembers the file that called it: this test file.
  const f = flow("here", () => 1);
  expect((f as unknown as Record<symbol, { sourceFile?: string }>)[Symbol.for("baton.flow")]!.sourceFile).toBe(join(import.meta.dirname, "deploy.test.ts"));
  expect(servePoolName("my flow", "prod")).toBe("serve-my-flow-prod");
});

test("deploy()'s triggers are checked before anything is written, each problem named by its field", () => {
  expect(parseTriggers([{ type: "no_completed_run_by", time: "07:00" }])).toEqual([{ type: "no_completed_run_by", time: "07:00", enabled: true, parameters: {} }]);
  expect(() => parseTriggers([{ type: "state", states: ["FAILED"] }, { type: "no_completed_run_by", time: "7am" }, { type: "event" }])).toThrow(
    /nothing was deployed:\ntriggers\[1\]\.time: must be HH:MM or HH:MM:SS[^\n]*\ntriggers\[2\]\.type: "event" is not a trigger type/,
  );
  expect(() => parseTriggers([{ type: "state", states: ["FAILED"] }])).not.toThrow();
  expect(() => parseTriggers({})).toThrow(InvalidDeploymentTriggers);
});
