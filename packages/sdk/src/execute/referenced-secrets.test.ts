import { SecretMasker, type Deployment, type FlowRun } from "@baton/core";
import { describe, expect, it } from "vitest";
import { MaskingTransport } from "./masking-transport.js";
import { referencedSecretNames } from "./referenced-secrets.js";

describe("the secrets a run references", () => {
  it("are named by its deployment's pull steps and job variables and its own job variables, once each", () => {
    const deployment = {
      pull_steps: [{ git_clone: { repository: "https://example.com/r.git", access_token: "{{ baton.secrets.git-token }}" } }, { run_shell_script: { script: "make", env: { A: "{{ baton.secrets.git-token }}" } } }],
      job_variables: { env: { DB: "prefix-{{ baton.secrets.db-pass }}", PLAIN: "{{ baton.variables.region }}" } },
    } as unknown as Deployment;
    const run = { job_variables: { env: { EXTRA: "{{ baton.secrets.run-only }}" } } } as unknown as FlowRun;
    expect(referencedSecretNames(deployment, run).sort()).toEqual(["db-pass", "git-token", "run-only"]);
    expect(referencedSecretNames(deployment, { job_variables: null } as unknown as FlowRun).sort()).toEqual(["db-pass", "git-token"]);
  });
});

describe("the masking transport", () => {
  it("masks what it sends, and learns a secret value it reads back", async () => {
    const sent: unknown[] = [];
    const inner = {
      description: "test",
      close: async () => undefined,
      async request(request: { method: string; path: string; body?: unknown }) {
        sent.push(request.body);
        if (request.path === "/secrets/token/value") return { status: 200, body: { name: "token", value: "s3cret-value-42" }, headers: {} };
        return { status: 201, body: { written: 1 }, headers: {} };
      },
    };
    const masker = new SecretMasker();
    const transport = new MaskingTransport(inner, masker);
    await transport.request({ method: "POST", path: "/logs", body: [{ message: "before: s3cret-value-42" }] });
    await transport.request({ method: "GET", path: "/secrets/token/value" });
    await transport.request({ method: "POST", path: "/logs", body: [{ message: "after: s3cret-value-42" }] });
    expect(sent).toEqual([[{ message: "before: s3cret-value-42" }], undefined, [{ message: "after: ****" }]]);
  });
});
