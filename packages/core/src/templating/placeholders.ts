/**
 * `{{ ... }}` placeholders, as in Prefect's job templates and prefect.yaml. Four kinds:
 * - `{{ image }}`: a job variable (base job templates);
 * - `{{ baton.secrets.NAME }}` / `{{ baton.variables.NAME }}`: resolved at run time, on the machine that needs them;
 * - `{{ $HOME }}`: an environment variable of the machine running the step;
 * - `{{ clone.directory }}`: the output of an earlier pull step (`id: clone`).
 */
export type Placeholder =
  | { kind: "variable"; name: string; raw: string }
  | { kind: "secret"; name: string; raw: string }
  | { kind: "baton-variable"; name: string; raw: string }
  | { kind: "env"; name: string; raw: string }
  | { kind: "step-output"; step: string; field: string; raw: string };

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const NAME = "[A-Za-z_][A-Za-z0-9_\\-]*";
const SECRET = new RegExp(`^baton\\.secrets\\.(${NAME})$`);
const VARIABLE = new RegExp(`^baton\\.variables\\.(${NAME})$`);
const ENV = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;
const STEP_OUTPUT = new RegExp(`^(${NAME})\\.(${NAME})$`);
const JOB_VARIABLE = new RegExp(`^(${NAME})$`);

export class InvalidPlaceholder extends Error {
  constructor(readonly raw: string) {
    super(
      `"{{ ${raw} }}" is not a placeholder Baton knows; use {{ variable_name }}, {{ baton.secrets.NAME }}, ` +
        `{{ baton.variables.NAME }}, {{ $ENV_VAR }} or {{ step_id.output }}`,
    );
    this.name = "InvalidPlaceholder";
  }
}

export function parsePlaceholder(inner: string): Placeholder {
  const raw = inner.trim();
  let m: RegExpExecArray | null;
  if ((m = SECRET.exec(raw))) return { kind: "secret", name: m[1]!, raw };
  if ((m = VARIABLE.exec(raw))) return { kind: "baton-variable", name: m[1]!, raw };
  if ((m = ENV.exec(raw))) return { kind: "env", name: m[1]!, raw };
  if ((m = JOB_VARIABLE.exec(raw))) return { kind: "variable", name: m[1]!, raw };
  if ((m = STEP_OUTPUT.exec(raw))) return { kind: "step-output", step: m[1]!, field: m[2]!, raw };
  throw new InvalidPlaceholder(raw);
}

/** The placeholders in one string, in order. */
export function placeholdersIn(text: string): Placeholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => parsePlaceholder(m[1]!));
}

/** The placeholder when it is the whole string (then its value keeps its type). */
export function wholePlaceholder(text: string): Placeholder | undefined {
  const m = WHOLE.exec(text.trim());
  return m ? parsePlaceholder(m[1]!) : undefined;
}

export interface FoundPlaceholder {
  /** JSON path of the string that holds it: `job_configuration.env.TOKEN`. */
  path: string;
  placeholder: Placeholder;
}

/** Every placeholder in a JSON document, with where it is. Keys are not templated, only values. */
export function findPlaceholders(document: unknown, path = ""): FoundPlaceholder[] {
  if (typeof document === "string") return placeholdersIn(document).map((placeholder) => ({ path, placeholder }));
  if (Array.isArray(document)) return document.flatMap((v, i) => findPlaceholders(v, `${path}[${i}]`));
  if (document && typeof document === "object") {
    return Object.entries(document).flatMap(([k, v]) => findPlaceholders(v, path ? `${path}.${k}` : k));
  }
  return [];
}

export { PLACEHOLDER as PLACEHOLDER_PATTERN };
