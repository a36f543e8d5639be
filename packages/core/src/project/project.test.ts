import { describe, expect, test } from "vitest";
import { fieldIssues } from "../validation.js";
import { BatonYamlSchema, repositoryUrlProblem, urlCredentialProblem } from "./index.js";

const problems = (doc: unknown) => {
  const r = BatonYamlSchema.safeParse(doc);
  return r.success ? [] : fieldIssues(r.error).map((i) => `${i.path}: ${i.message}`);
};

describe("baton.yaml", () => {
  test("the design's example parses", () => {
    const doc = {
      name: "my-project",
      pull: [
        { git_clone: { repository: "git@gitlab.example.com:org/repo.git", branch: "main", ssh_key: "{{ baton.secrets.deploy-key }}", known_hosts: "gitlab.example.com ssh-ed25519 AAAA" } },
        { run_shell_script: { script: "npm ci" } },
      ],
      deployments: [
        {
          name: "etl-prod",
          entrypoint: "flows/etl.ts:etlFlow",
          parameters: { limit: 2 },
          schedules: [{ cron: "0 * * * *", timezone: "Europe/Paris" }],
          work_pool: { name: "k8s-pool", job_variables: { image: "registry.example.com/org/flows:latest" } },
        },
      ],
    };
    expect(problems(doc)).toEqual([]);
  });
  test("every problem is listed at once with its path", () => {
    const out = problems({
      deployments: [
        { name: "a", entrypoint: "flows/etl.ts", schedule: [] },
        { name: "a", entrypoint: "flows/etl.ts:etlFlow", schedules: [{ cron: "bad cron" }] },
      ],
    });
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^deployments\[0\]\.entrypoint: must be path\/to\/file\.ts:exportName/),
        expect.stringMatching(/^deployments\[0\]: unknown key "schedule"/),
        expect.stringMatching(/^deployments\[1\]\.schedules\[0\]\.cron: "bad cron" is not a valid cron/),
        expect.stringMatching(/^deployments\[1\]\.name: "a" is also the name of deployments\[0\]/),
      ]),
    );
  });
  test("repository URLs with credentials are refused; SSH users are not credentials", () => {
    expect(repositoryUrlProblem("https://oauth2:glpat-123@gitlab.com/org/repo.git")).toMatch(/credential inside it \(https:\/\/\*\*\*\*@gitlab\.com/);
    expect(repositoryUrlProblem("https://gitlab.com/org/repo.git")).toBeUndefined();
    expect(repositoryUrlProblem("git@gitlab.com:org/repo.git")).toBeUndefined();
    expect(repositoryUrlProblem("ssh://git@127.0.0.1:2222/srv/repo.git")).toBeUndefined();
    // The URL kept for people (a deployment's source) may have any form, never a credential.
    expect(urlCredentialProblem("https://ghp_abc@github.com/org/repo.git")).toMatch(/credential inside it/);
    expect(urlCredentialProblem("ssh://git:pw@host/repo.git")).toMatch(/credential inside it/);
    expect(urlCredentialProblem("ssh://git@host/repo.git")).toBeUndefined();
    expect(urlCredentialProblem("../some/where")).toBeUndefined();
    expect(problems({ deployments: [{ name: "x", entrypoint: "f.ts:x", pull: [{ git_clone: { repository: "https://u:p@h/r.git" } }] }] })[0]).toMatch(
      /^deployments\[0\]\.pull\[0\]\.git_clone\.repository: the URL has a credential/,
    );
  });
});
