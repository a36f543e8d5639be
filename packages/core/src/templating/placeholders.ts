import { scanPlaceholders } from "./scan.js";

/**
 * `{{ ... }}` placeholders, as in Prefect's job templates and prefect.yaml. Four kinds:
 * - `{{ image }}`: a job variable (base job templates); `{{ env.FOO }}` or `{{ items[0].name }}` reads inside one;
 * - `{{ baton.secrets.NAME }}` / `{{ baton.variables.NAME }}`: resolved at run time, on the machine that needs them;
 * - `{{ $HOME }}`: an environment variable of the machine running the step;
 * - `{{ clone.directory }}`: the output of an earlier pull step (`id: clone`), and paths inside it.
 */
export type Placeholder =
  | { kind: "variable"; name: string; path: PathSegment[]; raw: string }
  | { kind: "secret"; name: string; raw: string }
  | { kind: "baton-variable"; name: string; raw: string }
  | { kind: "env"; name: string; raw: string }
  | { kind: "step-output"; step: string; field: string; path: PathSegment[]; raw: string };

/** One step into a value: a key of an object or an index of a list (`a.b[0]` is a, then "b", then 0). */
export type PathSegment = string | number;

const NAME = "[A-Za-z_][A-Za-z0-9_\\-]*";
const SECRET = new RegExp(`^baton\\.secrets\\.(${NAME})$`);
const VARIABLE = new RegExp(`^baton\\.variables\\.(${NAME})$`);
const ENV = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;
// A name, then any number of `.name` or `[index]`: each step starts with its own character, so the
// pattern never backtracks, and Prefect's `{{ a.b.c }}` and `{{ items[0].name }}` both read.
const REFERENCE = new RegExp(`^(${NAME})((?:\\.${NAME}|\\[\\d+\\])*)$`);
const SEGMENT = new RegExp(`\\.(${NAME})|\\[(\\d+)\\]`, "g");

function segments(text: string): PathSegment[] {
  return [...text.matchAll(SEGMENT)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
}

export class InvalidPlaceholder extends Error {
  constructor(readonly raw: string) {
    const shown = raw.length > 80 ? `${raw.slice(0, 80)}...` : raw;
    super(
      `"{{ ${shown} }}" is not a placeholder Baton knows; use {{ variable_name }}, {{ baton.secrets.NAME }}, ` +
        `{{ baton.variables.NAME }}, {{ $ENV_VAR }}, {{ step_id.output }} or a path into a value ({{ env.NAME }}, {{ items[0].name }})`,
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
  if ((m = REFERENCE.exec(raw))) {
    const path = segments(m[2]!);
    // `step.field...` names a pull step's output; in a job template the same text reads a job
    // variable's inner value (see variableReference).
    if (typeof path[0] === "string") return { kind: "step-output", step: m[1]!, field: path[0], path: path.slice(1), raw };
    return { kind: "variable", name: m[1]!, path, raw };
  }
  throw new InvalidPlaceholder(raw);
}

/**
 * The job variable a placeholder reads in a job template, with the path inside its value:
 * `{{ image }}`, `{{ env.FOO }}` and `{{ volumes[0].name }}` all read a variable.
 */
export function variableReference(p: Placeholder): { name: string; path: PathSegment[] } | undefined {
  if (p.kind === "variable") return { name: p.name, path: p.path };
  if (p.kind === "step-output") return { name: p.step, path: [p.field, ...p.path] };
  return undefined;
}

/** The value at `path` inside `value`, or undefined when any step is missing. */
export function valueAtPath(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== "object") return undefined;
    if (typeof step === "number" ? !Array.isArray(current) : Array.isArray(current) || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** The placeholders in one string, in order. */
export function placeholdersIn(text: string): Placeholder[] {
  return scanPlaceholders(text).map((span) => parsePlaceholder(span.inner));
}

/** The placeholder when it is the whole string (then its value keeps its type). */
export function wholePlaceholder(text: string): Placeholder | undefined {
  const trimmed = text.trim();
  const spans = scanPlaceholders(trimmed);
  const only = spans.length === 1 ? spans[0]! : undefined;
  return only && only.start === 0 && only.end === trimmed.length ? parsePlaceholder(only.inner) : undefined;
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
