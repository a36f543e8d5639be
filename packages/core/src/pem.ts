// Pure text checks shared by every reader of PEM files (the server's certificate and key, a
// client's CA bundle); each reader keeps its own error class and the fix it names.

/** Why a file could not be read, from its errno code, as words that follow its name. */
export function unreadableReason(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === "ENOENT") return "does not exist";
  if (code === "EACCES") return "cannot be read (permission denied)";
  if (code === "EISDIR") return "is a folder";
  return `cannot be read (${typeof code === "string" ? code : String(error)})`;
}

const PEM_MARKERS = {
  certificate: { line: "-----BEGIN CERTIFICATE-----", pattern: /-----BEGIN CERTIFICATE-----/ },
  "private key": { line: "-----BEGIN PRIVATE KEY-----", pattern: /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/ },
} as const;

export type PemKind = keyof typeof PEM_MARKERS;

/** Undefined when `text` holds a PEM block of `kind`; else why not, as words that follow the file's name. */
export function pemProblem(text: string, kind: PemKind): string | undefined {
  const marker = PEM_MARKERS[kind];
  return marker.pattern.test(text) ? undefined : `is not a PEM ${kind} (no "${marker.line}" line)`;
}
