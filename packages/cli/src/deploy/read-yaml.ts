import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { BatonError } from "@baton/core";

export class BatonYamlNotFound extends BatonError {
  override readonly code = "BatonYamlNotFound";
  override readonly status = 400;
}

export class BatonYamlSyntaxError extends BatonError {
  override readonly code = "BatonYamlSyntaxError";
  override readonly status = 400;
}

/**
 * The document as plain data. Anchors, aliases and `<<:` merge keys are expanded here, so
 * validation sees what the user meant; a syntax error names its line and column.
 */
export function readBatonYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new BatonYamlNotFound(`BatonYamlNotFound: no file at ${path}; write one with baton init, or point at it with --file PATH`);
    }
    throw error;
  }
  return parseBatonYaml(text, path);
}

export function parseBatonYaml(text: string, path: string): unknown {
  const doc = parseDocument(text, { merge: true, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const where = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "";
      // prettyErrors appends a code excerpt to the message; the first line is the reason.
      const reason = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
      return `${path}${where ? ` ${where}` : ""}: ${reason}`;
    });
    throw new BatonYamlSyntaxError(`BatonYamlSyntaxError: ${path} is not valid YAML:\n  ${lines.join("\n  ")}`);
  }
  return doc.toJS({ maxAliasCount: 10_000 }) as unknown;
}
