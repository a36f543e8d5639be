import { BatonError, type FieldIssue } from "@baton/core";
import { Job } from "kubernetes-models/batch/v1";
import { dns1123LabelProblem, dns1123SubdomainProblem, labelKeyProblem, labelValueProblem, quantityProblem } from "./names.js";

export class InvalidJobManifest extends BatonError {
  override readonly code = "InvalidJobManifest";
  override readonly status = 422;
  constructor(readonly issues: FieldIssue[]) {
    super(
      `InvalidJobManifest: the Kubernetes Job is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}; ` +
        `fix the work pool's base job template or the deployment's job_variables`,
    );
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `/spec/template/spec/containers/0/name` -> `spec.template.spec.containers[0].name` */
function pathOf(pointer: string, root: string): string {
  let out = root;
  for (const part of pointer.split("/").slice(1)) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
  }
  return out;
}

function schemaIssues(doc: Record<string, unknown>, root: string): FieldIssue[] {
  try {
    new Job(doc as ConstructorParameters<typeof Job>[0]).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }> }).errors;
    if (!errors) return [{ path: root, message: error instanceof Error ? error.message : String(error) }];
    return errors.map((e) => {
      const allowed = Array.isArray(e.params?.allowedValues) ? ` (${(e.params!.allowedValues as unknown[]).join(", ")})` : "";
      return { path: pathOf(e.instancePath, root), message: `${e.message ?? "is invalid"}${allowed}` };
    });
  }
}

function metadataIssues(meta: unknown, path: string, needsName: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isRecord(meta)) return needsName ? [{ path, message: "is required (with a name)" }] : [];
  if (typeof meta.name === "string") {
    // A Job's name becomes its pods' job-name label value, so it must be a DNS-1123 label (63 at most).
    const p = dns1123LabelProblem(meta.name);
    if (p) issues.push({ path: `${path}.name`, message: p });
  } else if (needsName) issues.push({ path: `${path}.name`, message: "is required" });
  if (typeof meta.namespace === "string") {
    const p = dns1123LabelProblem(meta.namespace);
    if (p) issues.push({ path: `${path}.namespace`, message: p });
  }
  for (const field of ["labels", "annotations"] as const) {
    const map = meta[field];
    if (!isRecord(map)) continue;
    for (const [k, v] of Object.entries(map)) {
      const keyProblem = labelKeyProblem(k);
      if (keyProblem) issues.push({ path: `${path}.${field}.${k}`, message: keyProblem.replace(/^label key/, field === "labels" ? "label key" : "annotation key") });
      if (field === "labels") {
        const valueProblem = labelValueProblem(v);
        if (valueProblem) issues.push({ path: `${path}.${field}.${k}`, message: valueProblem });
      } else if (typeof v !== "string") issues.push({ path: `${path}.${field}.${k}`, message: `annotation value ${JSON.stringify(v)} must be a string` });
    }
  }
  return issues;
}

function containerIssues(list: unknown, path: string): FieldIssue[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((c, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(c)) return [];
    const issues: FieldIssue[] = [];
    if (typeof c.name === "string") {
      const p = dns1123LabelProblem(c.name);
      if (p) issues.push({ path: `${at}.name`, message: p });
    }
    if (c.image === "" ) issues.push({ path: `${at}.image`, message: "is empty; set the image job variable" });
    const resources = c.resources;
    if (isRecord(resources)) {
      for (const kind of ["requests", "limits"] as const) {
        const q = resources[kind];
        if (!isRecord(q)) continue;
        for (const [name, value] of Object.entries(q)) {
          const p = quantityProblem(value);
          if (p) issues.push({ path: `${at}.resources.${kind}.${name}`, message: p });
        }
      }
    }
    if (Array.isArray(c.env)) {
      c.env.forEach((e, j) => {
        if (isRecord(e) && typeof e.name === "string" && !/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(e.name)) {
          issues.push({ path: `${at}.env[${j}].name`, message: `"${e.name}" is not a valid environment variable name` });
        }
      });
    }
    return issues;
  });
}

/**
 * Every problem of a Job manifest, each with its field path: the Kubernetes schema (types,
 * required fields, enums, through kubernetes-models) and what the API server checks beyond it
 * (DNS-1123 names, label keys and values, resource quantities). Empty when the Job is valid.
 * `requireName` is false for a manifest the worker has not named yet (deploy-time checks).
 */
export function jobManifestIssues(doc: unknown, options: { root?: string; requireName?: boolean } = {}): FieldIssue[] {
  const root = options.root ?? "job_manifest";
  if (!isRecord(doc)) return [{ path: root, message: "must be an object (a batch/v1 Job)" }];
  const issues: FieldIssue[] = [];
  const own = ownIssues(doc, root, options.requireName ?? true);
  if (doc.apiVersion !== "batch/v1") issues.push({ path: `${root}.apiVersion`, message: `must be "batch/v1", got ${JSON.stringify(doc.apiVersion)}` });
  if (doc.kind !== "Job") issues.push({ path: `${root}.kind`, message: `must be "Job", got ${JSON.stringify(doc.kind)}: the worker launches each flow run as a Job` });
  if (issues.length > 0) return issues;
  // The schema speaks in JSON Schema terms ("must match exactly one schema in oneOf"): where a
  // check of our own says what is wrong at the same place, its message is the one kept.
  const ownPaths = new Set(own.map((i) => i.path));
  const seen = new Set<string>();
  for (const issue of schemaIssues(doc, root)) {
    if (ownPaths.has(issue.path)) continue;
    const key = `${issue.path}\n${issue.message}`;
    if (!seen.has(key)) issues.push(issue);
    seen.add(key);
  }
  return [...issues, ...own];
}

function ownIssues(doc: Record<string, unknown>, root: string, requireName: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  issues.push(...metadataIssues(doc.metadata, `${root}.metadata`, requireName));
  const spec = isRecord(doc.spec) ? doc.spec : {};
  const template = isRecord(spec.template) ? spec.template : {};
  issues.push(...metadataIssues(template.metadata, `${root}.spec.template.metadata`, false));
  const pod = isRecord(template.spec) ? template.spec : {};
  issues.push(...containerIssues(pod.containers, `${root}.spec.template.spec.containers`));
  issues.push(...containerIssues(pod.initContainers, `${root}.spec.template.spec.initContainers`));
  if (Array.isArray(pod.volumes)) {
    pod.volumes.forEach((v, i) => {
      if (isRecord(v) && typeof v.name === "string") {
        const p = dns1123LabelProblem(v.name);
        if (p) issues.push({ path: `${root}.spec.template.spec.volumes[${i}].name`, message: p });
      }
    });
  }
  for (const key of ["serviceAccountName"] as const) {
    if (typeof pod[key] === "string") {
      const p = dns1123SubdomainProblem(pod[key]);
      if (p) issues.push({ path: `${root}.spec.template.spec.${key}`, message: p });
    }
  }
  return issues;
}

/** Throws InvalidJobManifest naming every problem; returns the manifest when it is a valid Job. */
export function validateJobManifest(doc: unknown, options: { root?: string; requireName?: boolean } = {}): Record<string, unknown> {
  const issues = jobManifestIssues(doc, options);
  if (issues.length > 0) throw new InvalidJobManifest(issues);
  return doc as Record<string, unknown>;
}
