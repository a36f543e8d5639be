import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { loadKubeConfig } from "./cluster.js";

const kubeconfig = {
  apiVersion: "v1",
  kind: "Config",
  clusters: [
    { name: "staging", cluster: { server: "https://staging.example.com:6443" } },
    { name: "prod", cluster: { server: "https://prod.example.com:6443" } },
  ],
  users: [{ name: "ci", user: { token: "t" } }],
  contexts: [
    { name: "staging", context: { cluster: "staging", user: "ci" } },
    { name: "prod", context: { cluster: "prod", user: "ci" } },
  ],
  "current-context": "staging",
};
const dir = mkdtempSync(join(tmpdir(), "baton-kubeconfig-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("cluster_config: an inline kubeconfig or a file, with an optional context", async () => {
  expect((await loadKubeConfig({ kubeconfig })).getCurrentCluster()?.server).toBe("https://staging.example.com:6443");
  expect((await loadKubeConfig({ kubeconfig, context: "prod" })).getCurrentCluster()?.server).toBe("https://prod.example.com:6443");
  const file = join(dir, "config");
  writeFileSync(file, JSON.stringify(kubeconfig));
  expect((await loadKubeConfig({ kubeconfig_file: file, context: "prod" })).getCurrentCluster()?.server).toBe("https://prod.example.com:6443");
});

test("a context the kubeconfig does not have is an error naming it", async () => {
  await expect(loadKubeConfig({ kubeconfig, context: "dev" })).rejects.toThrow(/cluster_config.context "dev" is not in the kubeconfig; its contexts: staging, prod/);
});
