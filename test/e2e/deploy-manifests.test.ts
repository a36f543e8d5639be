/*
 * What a team deploys: every kustomization under deploy/kubernetes renders with
 * `kubectl kustomize` (offline) and every object it renders is valid against the Kubernetes schema
 * (kubernetes-models) with valid names and labels; the worker's Role grants what the worker calls
 * and nothing more. The example CI files deploy on main only, take the server and key from CI
 * secrets, and every `baton` command they run exists (its --help exits 0).
 * Not verified here: that a cluster admits and runs these objects (no API server can run here).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Namespace, Service, ServiceAccount } from "kubernetes-models/v1";
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { describe, expect, test } from "vitest";
import { runBaton } from "../helpers/cli.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
type Obj = Record<string, any>;

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
  "networking.k8s.io/v1/Ingress": Ingress,
};
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function render(dir: string): Obj[] {
  const out = execFileSync("kubectl", ["kustomize", `deploy/kubernetes/${dir}`], { cwd: ROOT, encoding: "utf8" });
  return parseAllDocuments(out).map((d) => d.toJSON() as Obj);
}

/** The Prometheus Operator's CRD has no model here: its few fields are checked by hand. */
function serviceMonitorProblems(obj: Obj): string[] {
  const id = `ServiceMonitor/${obj.metadata?.name}`;
  const out: string[] = [];
  if (typeof obj.spec?.selector?.matchLabels !== "object") out.push(`${id}: spec.selector.matchLabels is missing`);
  if (!Array.isArray(obj.spec?.endpoints) || obj.spec.endpoints.length === 0) out.push(`${id}: spec.endpoints is empty`);
  for (const e of obj.spec?.endpoints ?? []) {
    if (typeof e.port !== "string") out.push(`${id}: an endpoint has no named port`);
    if (e.interval !== undefined && !/^\d+(s|m)$/.test(e.interval)) out.push(`${id}: interval ${e.interval} is not a duration`);
  }
  const allowed = new Set(["apiVersion", "kind", "metadata", "spec"]);
  for (const key of Object.keys(obj)) if (!allowed.has(key)) out.push(`${id}: unknown field ${key}`);
  return out;
}

function problems(obj: Obj): string[] {
  const id = `${obj.kind}/${obj.metadata?.name}`;
  if (`${obj.apiVersion}/${obj.kind}` === "monitoring.coreos.com/v1/ServiceMonitor") return serviceMonitorProblems(obj);
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) return [`${id}: no schema for ${obj.apiVersion} ${obj.kind} in this test; add it`];
  const out: string[] = [];
  try {
    new Model(obj).validate();
  } catch (error) {
    out.push(`${id}: ${(error as Error).message}`);
  }
  if (!DNS1123_SUBDOMAIN.test(obj.metadata?.name ?? "")) out.push(`${id}: metadata.name is not a DNS-1123 subdomain`);
  for (const [k, v] of Object.entries<string>(obj.metadata?.labels ?? {})) if (!LABEL_VALUE.test(v) || v.length > 63) out.push(`${id}: label ${k}=${v} is not a valid label value`);
  return out;
}

const byKind = (objs: Obj[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name)!;

describe("deploy/kubernetes", () => {
  test.each(["base/server", "base/worker", "overlays/namespace", "overlays/ingress", "overlays/monitoring"])("%s renders and every object is valid", (dir) => {
    const objs = render(dir);
    expect(objs.length).toBeGreaterThan(1);
    expect(objs.flatMap(problems)).toEqual([]);
  });

  test("the server: probes on /api/ready and /api/health, the database URL from a Secret", () => {
    const server = byKind(render("base/server"), "Deployment", "baton-server");
    const c = server.spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet.path).toBe("/api/ready");
    expect(c.livenessProbe.httpGet.path).toBe("/api/health");
    expect(c.env.find((e: Obj) => e.name === "BATON_SERVER_DATABASE_URL").valueFrom.secretKeyRef).toEqual({ name: "baton-server", key: "database-url" });
    expect(c.env.find((e: Obj) => e.name === "BATON_SERVER_HOST").value).toBe("0.0.0.0");
  });

  test("metrics: each on its own port and Service, never the API's; the worker probed on /healthz; a ServiceMonitor finds both", () => {
    const objs = render("overlays/monitoring");
    const server = byKind(objs, "Deployment", "baton-server").spec.template.spec.containers[0];
    expect(server.env.find((e: Obj) => e.name === "BATON_SERVER_METRICS_PORT").value).toBe("9464");
    expect(server.ports.find((p: Obj) => p.name === "metrics").containerPort).toBe(9464);
    // The API Service (what the Ingress routes to) has no metrics port.
    expect(byKind(objs, "Service", "baton-server").spec.ports.map((p: Obj) => p.name)).toEqual(["http"]);
    const worker = byKind(objs, "Deployment", "baton-worker").spec.template.spec.containers[0];
    expect(worker.command).toEqual(expect.arrayContaining(["--metrics-port", "9464", "--metrics-host", "0.0.0.0"]));
    expect(worker.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    expect(worker.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    for (const [monitor, deployment] of [["baton-server", "baton-server"], ["baton-worker", "baton-worker"]] as const) {
      const sm = byKind(objs, "ServiceMonitor", monitor);
      expect(sm.metadata.namespace).toBe("baton");
      const services = objs.filter((o) => o.kind === "Service" && Object.entries<string>(sm.spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v));
      expect(services).toHaveLength(1);
      const port = services[0]!.spec.ports.find((p: Obj) => p.name === sm.spec.endpoints[0].port);
      const pod = byKind(objs, "Deployment", deployment).spec.template;
      expect(Object.entries<string>(services[0]!.spec.selector).every(([k, v]) => pod.metadata.labels[k] === v)).toBe(true);
      expect(pod.spec.containers[0].ports.find((p: Obj) => p.name === port.targetPort).containerPort).toBe(9464);
    }
  });

  test("the worker's Role: jobs, pods, pods/log, events and secrets of its namespace, nothing more", () => {
    const objs = render("overlays/namespace");
    const role = byKind(objs, "Role", "baton-worker");
    expect(role.metadata.namespace).toBe("baton");
    const granted = role.rules.flatMap((r: Obj) => r.resources.map((res: string) => `${r.apiGroups[0] || "core"}/${res}: ${[...r.verbs].sort().join(",")}`)).sort();
    expect(granted).toEqual([
      "batch/jobs: create,delete,get,list,watch",
      "core/events: get,list,watch",
      "core/pods/log: get",
      "core/pods: get,list,watch",
      "core/secrets: create,delete,get",
    ]);
    expect(objs.some((o) => o.kind === "ClusterRole" || o.kind === "ClusterRoleBinding")).toBe(false);
    const binding = byKind(objs, "RoleBinding", "baton-worker");
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "baton-worker", namespace: "baton" }]);
    const worker = byKind(objs, "Deployment", "baton-worker");
    expect(worker.spec.template.spec.serviceAccountName).toBe("baton-worker");
    expect(worker.spec.template.spec.containers[0].command).toEqual(expect.arrayContaining(["worker", "start", "--type", "kubernetes", "--name"]));
  });

  test("the namespace overlay has PostgreSQL; the ingress overlay routes to the server", () => {
    const objs = render("overlays/ingress");
    expect(objs.every((o) => o.kind === "Namespace" || o.metadata.namespace === "baton")).toBe(true);
    const pg = byKind(objs, "StatefulSet", "baton-postgresql");
    expect(pg.spec.template.spec.containers[0].env.find((e: Obj) => e.name === "POSTGRES_PASSWORD").valueFrom.secretKeyRef.name).toBe("baton-postgresql");
    const ingress = byKind(objs, "Ingress", "baton-server");
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe("baton-server");
  });
});

/** Every `baton ...` command line in a script, as the words before its first option. */
function batonCommands(scripts: string[]): string[][] {
  return scripts
    .flatMap((s) => s.split(/\n|&&|;/))
    .map((line) => line.trim().split(/\s+/))
    .map((words) => (words[0] === "npx" ? words.slice(1) : words))
    .filter((words) => words[0] === "baton")
    .map((words) => {
      const end = words.findIndex((w, i) => i > 0 && w.startsWith("-"));
      return words.slice(1, end === -1 ? undefined : end);
    });
}

describe("examples/etl CI files", () => {
  const gitlab = parseYaml(readFileSync(`${ROOT}examples/etl/.gitlab-ci.yml`, "utf8")) as Obj;
  const github = parseYaml(readFileSync(`${ROOT}examples/etl/.github/workflows/deploy.yml`, "utf8")) as Obj;
  const gitlabJobs = Object.entries(gitlab).filter(([, v]) => v && typeof v === "object" && "script" in v) as Array<[string, Obj]>;
  const gitlabScripts = gitlabJobs.flatMap(([, job]) => [...(job.before_script ?? []), ...job.script]);
  const githubScripts = Object.values<Obj>(github.jobs).flatMap((job) => job.steps.filter((s: Obj) => s.run).map((s: Obj) => s.run as string));

  test("GitLab deploys on main with BATON_API_URL and BATON_API_KEY from masked CI variables", () => {
    expect(gitlabJobs.length).toBe(1);
    const [, job] = gitlabJobs[0]!;
    expect(job.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == "main"' }]);
    // The two settings are CI/CD variables: nothing in the file sets them.
    expect(JSON.stringify(gitlab)).not.toMatch(/BATON_API_(URL|KEY)"?:/);
    expect(batonCommands(gitlabScripts)).toContainEqual(["deploy"]);
    expect(gitlabScripts.join("\n")).toContain("baton deploy --all");
  });

  test("GitHub Actions deploys on pushes to main with both settings from secrets", () => {
    expect(github.on).toEqual({ push: { branches: ["main"] } });
    const job = Object.values<Obj>(github.jobs)[0]!;
    expect(job.env).toEqual({ BATON_API_URL: "${{ secrets.BATON_API_URL }}", BATON_API_KEY: "${{ secrets.BATON_API_KEY }}" });
    expect(githubScripts.join("\n")).toContain("baton deploy --all");
  });

  test("every baton command the CI files run exists", async () => {
    const commands = [...batonCommands(gitlabScripts), ...batonCommands(githubScripts)];
    expect(commands.length).toBeGreaterThanOrEqual(4);
    expect(batonCommands(["npx baton nope --all"])).toEqual([["nope"]]);
    expect((await runBaton(["nope", "--help"])).stdout.split("\n")[0]).not.toMatch(/^Usage: baton nope /);
    const unique = [...new Map(commands.map((c) => [c.join(" "), c])).values()];
    for (const words of unique) {
      const result = await runBaton([...words, "--help"]);
      expect(result.code, `baton ${words.join(" ")} --help:\n${result.stderr}`).toBe(0);
      // An unknown command prints the top-level help and exits 0 too: the usage line must name it.
      expect(result.stdout.split("\n")[0]).toMatch(new RegExp(`^Usage: baton ${words.join(" ")} `));
    }
  }, 60_000);

  test("the flow image is built FROM the Baton image and copies the flows", () => {
    const dockerfile = readFileSync(`${ROOT}examples/etl/Dockerfile`, "utf8");
    expect(dockerfile).toMatch(/^FROM ghcr\.io\/baton-dev\/baton:/m);
    expect(dockerfile).toMatch(/^COPY flows /m);
  });
});
