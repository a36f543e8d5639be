import { expect, test } from "vitest";
import type { LaunchContext } from "../infrastructure.js";
import { EnvAllowList } from "./env-allow-list.js";
import { resolveRuntimeReferences } from "./runtime-references.js";
import { secretPlacements } from "./secret-placement.js";

const context = (allowed: string[] = []): LaunchContext => ({
  workerName: "w",
  apiUrl: undefined,
  credentials: {},
  resolveSecret: async (name) => `value-of-${name}`,
  resolveVariable: async (name) => ({ region: name }),
  allowedEnv: new EnvAllowList(allowed),
});

test("secrets, variables and allowed $ENV in a job configuration are resolved at launch, on the worker", async () => {
  process.env.BATON_TEST_JOB_HOST = "db.internal";
  const { config, secretValues } = await resolveRuntimeReferences(
    { command: "baton flow-run execute", env: { TOKEN: "{{ baton.secrets.api-token }}", HOST: "{{ $BATON_TEST_JOB_HOST }}", GONE: "{{ $BATON_TEST_NOT_SET }}" }, labels: "{{ baton.variables.labels }}" },
    context(["BATON_TEST_JOB_HOST", "BATON_TEST_NOT_*"]),
  );
  expect(config).toEqual({ command: "baton flow-run execute", env: { TOKEN: "value-of-api-token", HOST: "db.internal" }, labels: { region: "labels" } });
  expect(secretValues).toEqual(["value-of-api-token"]);
});

test("$NAME reads nothing the worker's admin did not allow, and never the worker's key", async () => {
  process.env.BATON_TEST_HOST_ONLY = "host-secret";
  await expect(resolveRuntimeReferences({ env: { X: "{{ $BATON_TEST_HOST_ONLY }}" } }, context())).rejects.toThrow(
    /EnvNotAllowed: job_configuration\.env\.X reads \{\{ \$BATON_TEST_HOST_ONLY \}\}, which this worker does not allow; .*--allow-env BATON_TEST_HOST_ONLY/,
  );
  // A family that would cover the key still never reaches it.
  await expect(resolveRuntimeReferences({ labels: { k: "{{ $BATON_API_KEY }}" } }, context(["BATON_*"]))).rejects.toThrow(/BATON_API_KEY is the worker's own credential .* never given to a run/);
  expect(() => new EnvAllowList(["BATON_API_KEY"])).toThrow(/InvalidEnvAllowList: BATON_API_KEY can never be given/);
  expect(() => new EnvAllowList(["BATON_SERVER_DATABASE_URL"])).toThrow(/can never be given/);
  expect(() => new EnvAllowList(["not a name"])).toThrow(/is not an environment variable name/);
  expect(EnvAllowList.parse("AWS_REGION, APP_*").allows("APP_MODE")).toBe(true);
});

test("a secret outside env is refused before it is read, naming where it is", async () => {
  let read = 0;
  const counting = { ...context(), resolveSecret: async () => String(++read) };
  const config = { command: "sh -c 'echo {{ baton.secrets.tok }}'", env: { OK: "Bearer {{ baton.secrets.tok }}" }, job_manifest: { metadata: { annotations: { a: "{{ baton.secrets.other }}" } } } };
  await expect(resolveRuntimeReferences(config, counting)).rejects.toThrow(
    /SecretOutsideEnv: job_configuration\.command \(\{\{ baton\.secrets\.tok \}\}\), job_configuration\.job_manifest\.metadata\.annotations\.a .*Move it to env/,
  );
  expect(read).toBe(0);
  expect(secretPlacements(config)).toEqual([
    { path: "command", secret: "tok", allowed: false },
    { path: "env.OK", secret: "tok", allowed: true },
    { path: "job_manifest.metadata.annotations.a", secret: "other", allowed: false },
  ]);
});

test("preview says where each reference goes, and which the worker refuses", async () => {
  const { previewReferences } = await import("./preview-references.js");
  const config = { command: "run {{ baton.secrets.a }}", env: { T: "{{ baton.secrets.b }}", K: "{{ $BATON_API_KEY }}", R: "{{ $AWS_REGION }}" } };
  const refs = previewReferences(config, "kubernetes");
  expect(refs.map((r) => [r.path, r.refused])).toEqual([["command", true], ["env.T", false], ["env.K", true], ["env.R", false]]);
  expect(refs[1]!.route).toMatch(/run's own Secret/);
  expect(refs[3]!.route).toMatch(/--allow-env/);
});
