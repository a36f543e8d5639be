import { describe, expect, test } from "vitest";
import { fieldIssues } from "../validation.js";
import { closestName } from "../suggest.js";
import { BatonYamlSchema } from "./index.js";

/** baton.yaml problems as a user reads them: with the schema, so typos get their key. */
const problems = (doc: unknown) => {
  const r = BatonYamlSchema.safeParse(doc);
  return r.success ? [] : fieldIssues(r.error, "", BatonYamlSchema).map((i) => `${i.path}: ${i.message}`);
};
const deployment = (extra: Record<string, unknown> = {}) => ({ name: "etl", entrypoint: "flows/etl.ts:etlFlow", ...extra });

describe("baton.yaml written the Prefect way, or with a typo", () => {
  test("a misspelt key says which key it meant, without the follow-on 'required' of that key", () => {
    expect(problems({ deployments: [{ name: "etl", entrypiont: "flows/etl.ts:etlFlow" }] })).toEqual(['deployments[0]: unknown key "entrypiont"; did you mean "entrypoint"?']);
    expect(problems({ deployments: [deployment({ work_pool: { nmae: "default" } })] })).toEqual(['deployments[0].work_pool: unknown key "nmae"; did you mean "name"?']);
    expect(problems({ deployments: [deployment({ schedules: [{ cron: "0 * * * *", timezon: "UTC" }] })] })[0]).toMatch(/^deployments\[0\]\.schedules\[0\]: unknown key "timezon"; did you mean "timezone"\?/);
    expect(problems({ deploymnets: [deployment()] })).toEqual(['(root): unknown key "deploymnets"; did you mean "deployments"?']);
  });

  test("a key far from every known one lists the keys of that place", () => {
    expect(problems({ deployments: [deployment({ work_pool: { name: "p", zzz: 1 } })] })).toEqual(['deployments[0].work_pool: unknown key "zzz"; the keys here are name, work_queue_name, job_variables']);
  });

  test("Prefect's step names and Prefect-only steps name what Baton expects, never 'Invalid input'", () => {
    const prefect = problems({ pull: [{ "prefect.deployments.steps.git_clone": { repository: "https://h/r.git" } }], deployments: [deployment()] });
    expect(prefect).toEqual(['pull[0]: "prefect.deployments.steps.git_clone" is Prefect\'s name for this step; in baton.yaml write git_clone']);
    expect(problems({ pull: [{ "prefect.deployments.steps.pull_from_remote_storage": { url: "s3://b" } }], deployments: [deployment()] })[0]).toMatch(/Baton has no step .* put the code in git and use git_clone/);
    expect(problems({ pull: [{ git_clnoe: { repository: "https://h/r.git" } }], deployments: [deployment()] })[0]).toMatch(/unknown pull step "git_clnoe"; did you mean git_clone\?/);
    expect(problems({ pull: [{ git_clone: { repository: "https://h/r.git" }, run_shell_script: { script: "x" } }], deployments: [deployment()] })[0]).toMatch(/exactly one key.*make each step its own list item/);
    expect(problems({ pull: ["git_clone"], deployments: [deployment()] })[0]).toMatch(/^pull\[0\]: a pull step is one key naming its kind/);
  });

  test("a step of the right kind with a wrong field names that field", () => {
    expect(problems({ pull: [{ git_clone: { repository: 5 } }], deployments: [deployment()] })).toEqual([expect.stringMatching(/^pull\[0\]\.git_clone\.repository: /)]);
    expect(problems({ pull: [{ git_clone: { repository: "https://h/r.git", credentials: "{{ prefect.blocks.github-credentials.x }}" } }], deployments: [deployment()] })).toEqual([
      expect.stringMatching(/^pull\[0\]\.git_clone: unknown key "credentials"; Prefect's credentials block; Baton takes access_token/),
    ]);
    expect(problems({ pull: [{ run_shell_script: { script: "npm ci", expand_env_vars: true } }], deployments: [deployment()] })[0]).toMatch(/unknown key "expand_env_vars"; Baton's run_shell_script/);
  });

  test("prefect.yaml's top-level build and push sections are answered", () => {
    const out = problems({ build: [], push: [], "prefect-version": "3.1.0", deployments: [deployment({ schedule: { cron: "0 * * * *" } })] });
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/unknown key "build"; Baton builds nothing/),
        expect.stringMatching(/unknown key "push"; Baton pushes nothing/),
        expect.stringMatching(/unknown key "prefect-version"; remove it/),
        expect.stringMatching(/^deployments\[0\]: unknown key "schedule"; Baton takes a list: schedules:/),
      ]),
    );
  });

  test("suggestions only for plausible typos", () => {
    expect(closestName("deploy-kye", ["deploy-key", "gitlab-token"])).toBe("deploy-key");
    expect(closestName("entrypoint", ["entrypoint"])).toBeUndefined(); // not a typo
    expect(closestName("xyz", ["deploy-key", "gitlab-token"])).toBeUndefined();
  });
});
