/*
 * An OpenSSH deploy key pasted into the web UI's secret form must reach the run intact: a
 * one-line field turned its line breaks into nothing and ssh refused the key ("invalid format").
 * Headless Chromium against `baton server start` and a real process worker; the run clones from a
 * real sshd (test/helpers/ssh-git-server.ts) with the key the browser stored.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, logIn, newContext, pageErrors } from "../helpers/browser.js";
import { makeRepo } from "../helpers/git-repo.js";
import { startSshGitServer, type SshGitServer } from "../helpers/ssh-git-server.js";
import { tempDir } from "../helpers/tmp.js";
import { startUiStack, type UiStack } from "./ui-fixture.js";

const SLOW = 300_000;

const FLOW_SOURCE = `import { flow, getRunLogger } from "baton";

export const cloned = flow({ name: "cloned-over-ssh" }, async () => {
  getRunLogger().info("running from the ssh clone");
  return "cloned";
});
`;

describe("a secret set in the web UI", () => {
  let stack: UiStack;
  let ssh: SshGitServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const repoDir = tempDir("baton-ui-ssh-origin-");

  beforeAll(async () => {
    browser = await launchBrowser();
    ssh = await startSshGitServer();
    makeRepo(join(repoDir.path, "cloned"), { "flows/cloned.ts": FLOW_SOURCE });
    ssh.addRepo("cloned", join(repoDir.path, "cloned"));
    stack = await startUiStack("sqlite");
    const context = await newContext(browser, stack.baseUrl);
    page = await context.newPage();
    await logIn(page, stack.adminKey);
    // From here on (the login page's own check of the session answers 401 before logging in).
    errors = pageErrors(page);
  }, SLOW);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await ssh?.stop();
    repoDir.remove();
  }, SLOW);

  async function setSecret(name: string, fill: (form: ReturnType<Page["getByRole"]>) => Promise<void>): Promise<void> {
    await page.goto("/settings");
    const form = page.getByRole("form", { name: "Set secret" });
    await form.getByLabel("Secret name").fill(name);
    await fill(form);
    // A secret is usable by no deployment until an admin says which may use it.
    await form.getByLabel("Work pools (comma-separated, * patterns)").fill("runs");
    await form.getByRole("button", { name: "Set secret" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain(`Secret "${name}" saved`);
  }

  async function runCloneWith(secretName: string): Promise<any> {
    const { deployment } = await stack.api("POST", "/deployments", {
      flow_name: "cloned-over-ssh",
      name: `with-${secretName}`,
      entrypoint: "flows/cloned.ts:cloned",
      work_pool_name: "runs",
      pull_steps: [{ git_clone: { repository: ssh.url("cloned"), branch: "main", ssh_key: `{{ baton.secrets.${secretName} }}`, known_hosts: ssh.knownHosts } }],
    });
    const created = await stack.api("POST", `/deployments/${deployment.id}/runs`, {});
    return stack.waitForRun(created.id, (r) => ["COMPLETED", "FAILED", "CRASHED"].includes(r.state_type), "to end");
  }

  it("keeps a pasted OpenSSH key's lines, and a run clones over SSH with it", async () => {
    expect(ssh.deployKey.split("\n").length).toBeGreaterThan(3);
    // What a paste does: the whole text, line breaks included, inserted into the field.
    await setSecret("pasted-key", (form) => form.getByLabel("Secret value", { exact: true }).fill(ssh.deployKey));
    const run = await runCloneWith("pasted-key");
    expect(run.state_type, run.state.message ?? "").toBe("COMPLETED");
    expect(run.state.data?.result).toBe("cloned");
    expect(errors).toEqual([]);
  }, SLOW);

  // Nobody reads a secret back through the API: the clone succeeding is the proof the key is intact.
  it("reads the value from a key file chosen with the file picker, and a run clones with it", async () => {
    const keyFile = join(repoDir.path, "id_ed25519");
    writeFileSync(keyFile, ssh.deployKey);
    await setSecret("file-key", (form) => form.getByLabel("Secret value from a file").setInputFiles(keyFile));
    const run = await runCloneWith("file-key");
    expect(run.state_type, run.state.message ?? "").toBe("COMPLETED");
  }, SLOW);
});
