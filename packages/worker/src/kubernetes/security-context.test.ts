import { defaultBaseJobTemplate, renderJobConfiguration } from "@baton/core";
import { expect, test } from "vitest";
import { previewJobManifest } from "./preview.js";

const context = { flowName: "etl-flow", deploymentName: "etl-prod", workPool: "kubernetes" };
type Obj = Record<string, any>;

/**
 * The checks of the Pod Security Standard "restricted" profile (v1.30+) that a Job's pod
 * template can fail: https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * Returns the first violation, or undefined.
 */
function restrictedViolation(job: Obj): string | undefined {
  const pod = job.spec.template.spec as Obj;
  const containers = [...(pod.containers ?? []), ...(pod.initContainers ?? [])] as Obj[];
  const podContext = (pod.securityContext ?? {}) as Obj;
  for (const c of containers) {
    const sc = (c.securityContext ?? {}) as Obj;
    if (sc.allowPrivilegeEscalation !== false) return `${c.name}: allowPrivilegeEscalation must be false`;
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) return `${c.name}: capabilities must drop ALL`;
    if ((sc.capabilities?.add ?? []).some((a: string) => a !== "NET_BIND_SERVICE")) return `${c.name}: capabilities.add`;
    if (sc.privileged) return `${c.name}: privileged`;
    if ((sc.runAsNonRoot ?? podContext.runAsNonRoot) !== true) return `${c.name}: runAsNonRoot must be true`;
    if (sc.runAsUser === 0 || (sc.runAsUser === undefined && podContext.runAsUser === 0)) return `${c.name}: runAsUser 0`;
    const seccomp = sc.seccompProfile?.type ?? podContext.seccompProfile?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") return `${c.name}: seccompProfile must be RuntimeDefault or Localhost`;
  }
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) return "host namespaces";
  return undefined;
}

test("a flow run's Job passes the Pod Security Standard 'restricted' by default, the git-key init container too, and is a valid Job", () => {
  const template = defaultBaseJobTemplate("kubernetes")!;
  const preview = previewJobManifest(renderJobConfiguration(template, { git_ssh_secret: "etl-deploy-key" }), context);
  expect(preview.issues).toEqual([]);
  const job = preview.manifest as Obj;
  expect(job.spec.template.spec.initContainers).toHaveLength(1);
  expect(restrictedViolation(job)).toBeUndefined();
  expect(job.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
  expect(job.spec.template.spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
});

test("job variables change the security contexts, and a malformed one is named by its field path", () => {
  const template = defaultBaseJobTemplate("kubernetes")!;
  const custom = previewJobManifest(
    renderJobConfiguration(template, {
      pod_security_context: { runAsNonRoot: true, runAsUser: 2000, fsGroup: 2000, seccompProfile: { type: "RuntimeDefault" } },
      container_security_context: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    }),
    context,
  );
  expect(custom.issues).toEqual([]);
  const job = custom.manifest as Obj;
  expect(job.spec.template.spec.securityContext.runAsUser).toBe(2000);
  expect(job.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  expect(restrictedViolation(job)).toBeUndefined();

  // A cluster without the restriction: {} drops them, and the check above notices.
  const open = previewJobManifest(renderJobConfiguration(template, { pod_security_context: {}, container_security_context: {} }), context);
  expect(open.issues).toEqual([]);
  expect(restrictedViolation(open.manifest as Obj)).toMatch(/allowPrivilegeEscalation/);

  const bad = previewJobManifest(renderJobConfiguration(template, { container_security_context: { allowPrivilegeEscalation: "no" } }), context);
  expect(bad.issues).toContainEqual({ path: "job_manifest.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation", message: "must be boolean" });
});
