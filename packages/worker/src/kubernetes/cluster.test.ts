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

test("an inline kubeconfig (it came through the API) may not run commands or read the worker's files", async () => {
  const withUser = (user: Record<string, unknown>) => ({ ...kubeconfig, users: [{ name: "ci", user }] });
  await expect(loadKubeConfig({ kubeconfig: withUser({ exec: { apiVersion: "client.authentication.k8s.io/v1", command: "sh", args: ["-c", "id"] } }) })).rejects.toThrow(
    /UnsafeKubeconfig: cluster_config.kubeconfig.users\[0\].user.exec would run a command inside the worker/,
  );
  await expect(loadKubeConfig({ kubeconfig: withUser({ "auth-provider": { name: "gcp", config: { "cmd-path": "/bin/sh" } } }) })).rejects.toThrow(/auth-provider would run a command/);
  await expect(loadKubeConfig({ kubeconfig: withUser({ "client-key": "/etc/shadow", "client-certificate": "/etc/passwd" }) })).rejects.toThrow(/client-certificate names a file on the worker's host \(give client-certificate-data instead\)/);
  await expect(loadKubeConfig({ kubeconfig: withUser({ tokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token" }) })).rejects.toThrow(/tokenFile names a file/);
  const caFile = { ...kubeconfig, clusters: [{ name: "staging", cluster: { server: "https://s:6443", "certificate-authority": "/etc/ssl/private/key.pem" } }] };
  await expect(loadKubeConfig({ kubeconfig: caFile })).rejects.toThrow(/clusters\[0\].cluster.certificate-authority names a file/);
  // Inline credentials are what it may carry.
  expect((await loadKubeConfig({ kubeconfig: withUser({ token: "t", "client-certificate-data": "QQ==", "client-key-data": "QQ==" }) })).getCurrentUser()?.token).toBe("t");
});
