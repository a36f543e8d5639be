import { checkBaseJobTemplate, defaultBaseJobTemplate, renderJobConfiguration } from "@baton/core";
import { describe, expect, test } from "vitest";
import { previewJobManifest } from "./preview.js";
import { jobManifestIssues, validateJobManifest } from "./validate-manifest.js";

const job = (patch: (j: any) => void = () => {}) => {
  const j: any = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "etl-nightly-1a2b3c4d", labels: { team: "data" } },
    spec: { backoffLimit: 0, template: { spec: { restartPolicy: "Never", containers: [{ name: "flow-run", image: "etl:1", resources: { limits: { memory: "512Mi", cpu: "500m" } } }] } } },
  };
  patch(j);
  return j;
};

describe("validateJobManifest", () => {
  test("a valid Job passes", () => {
    expect(jobManifestIssues(job())).toEqual([]);
    expect(validateJobManifest(job())).toMatchObject({ kind: "Job" });
  });
  test("the schema's errors name the field path: types, required fields, enums", () => {
    const issues = jobManifestIssues(job((j) => {
      j.spec.backoffLimit = "none";
      j.spec.template.spec.restartPolicy = "Sometimes";
      delete j.spec.template.spec.containers[0].name;
    }));
    expect(issues).toEqual(expect.arrayContaining([
      { path: "job_manifest.spec.backoffLimit", message: "must be integer" },
      { path: "job_manifest.spec.template.spec.restartPolicy", message: "must be equal to one of the allowed values (Always, Never, OnFailure)" },
      { path: "job_manifest.spec.template.spec.containers[0]", message: "must have required property name" },
    ]));
  });
  test("what the schema misses: DNS-1123 names, label keys and values, quantities", () => {
    const issues = jobManifestIssues(job((j) => {
      j.metadata.name = "ETL_Nightly";
      j.metadata.labels = { "team name": "data", owner: "a b", "example.com/ok": "fine" };
      j.spec.template.spec.containers[0].name = "Flow Run";
      j.spec.template.spec.containers[0].resources.limits.memory = "512MB";
      j.spec.template.spec.containers[0].resources.limits.cpu = "half";
    }));
    expect(issues.map((i) => i.path)).toEqual([
      "job_manifest.metadata.name",
      "job_manifest.metadata.labels.team name",
      "job_manifest.metadata.labels.owner",
      "job_manifest.spec.template.spec.containers[0].name",
      "job_manifest.spec.template.spec.containers[0].resources.limits.memory",
      "job_manifest.spec.template.spec.containers[0].resources.limits.cpu",
    ]);
    expect(issues[4]!.message).toMatch(/"512MB" is not a Kubernetes quantity \(e\.g\. 500m, 2, 256Mi, 1Gi\)/);
    expect(() => validateJobManifest(job((j) => (j.metadata.name = "a".repeat(64))))).toThrow(/InvalidJobManifest: .*job_manifest\.metadata\.name: "a{64}" is longer than 63 characters/);
  });
  test("a replaced template must still render a batch/v1 Job", () => {
    expect(jobManifestIssues({ apiVersion: "v1", kind: "Pod", metadata: { name: "x" }, spec: {} })).toEqual([
      { path: "job_manifest.apiVersion", message: 'must be "batch/v1", got "v1"' },
      { path: "job_manifest.kind", message: 'must be "Job", got "Pod": the worker launches each flow run as a Job' },
    ]);
  });
});

describe("the default Kubernetes template", () => {
  const template = defaultBaseJobTemplate("kubernetes")!;
  test("uses every variable it declares and names none it does not", () => {
    expect(checkBaseJobTemplate(template)).toEqual({ errors: [], warnings: [] });
  });
  test("renders, with defaults only or with every variable set, to a valid Job", () => {
    const context = { flowName: "etl", deploymentName: "nightly" };
    const bare = previewJobManifest(renderJobConfiguration(template), context);
    expect(bare.issues).toEqual([]);
    const full = previewJobManifest(
      renderJobConfiguration(template, {
        image: "registry.example.com/etl:1",
        namespace: "data",
        service_account_name: "etl-runner",
        image_pull_policy: "Always",
        image_pull_secrets: ["regcred"],
        env: { TOKEN: "{{ baton.secrets.api-token }}", MODE: "full" },
        labels: { team: "data" },
        annotations: { "example.com/owner": "data team" },
        name: "ETL nightly",
        command: "baton flow-run execute --verbose",
        backoff_limit: 1,
        finished_job_ttl: 3600,
        active_deadline_seconds: 7200,
        cpu_request: "250m",
        cpu_limit: "1",
        memory_request: "256Mi",
        memory_limit: "1Gi",
        node_selector: { pool: "batch" },
        tolerations: [{ key: "batch", operator: "Exists", effect: "NoSchedule" }],
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }] } } },
        volumes: [{ name: "scratch", emptyDir: {} }],
        volume_mounts: [{ name: "scratch", mountPath: "/scratch" }],
        init_containers: [{ name: "wait", image: "busybox", command: ["true"] }],
        cluster_config: { context: "prod" },
        pod_watch_timeout_seconds: 60,
        stream_output: false,
        git_ssh_secret: "deploy-key",
        git_token_secret: "git-token",
      }),
      context,
    );
    expect(full.issues).toEqual([]);
    const m = full.manifest as any;
    expect(m.metadata).toMatchObject({ name: "etl-nightly-00000000", namespace: "data", annotations: { "example.com/owner": "data team" } });
    expect(m.spec).toMatchObject({ backoffLimit: 1, ttlSecondsAfterFinished: 3600, activeDeadlineSeconds: 7200 });
    const pod = m.spec.template.spec;
    expect(pod).toMatchObject({ serviceAccountName: "etl-runner", nodeSelector: { pool: "batch" }, imagePullSecrets: [{ name: "regcred" }] });
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(["wait", "baton-git-ssh-key"]);
    expect(pod.containers[0].command).toEqual(["baton", "flow-run", "execute", "--verbose"]);
    const token = pod.containers[0].env.find((e: any) => e.name === "TOKEN");
    expect(token).toEqual({ name: "TOKEN", valueFrom: { secretKeyRef: { name: "etl-nightly-00000000-baton", key: "TOKEN" } } });
    expect(JSON.stringify(m)).not.toContain("baton.secrets");
  });
});
