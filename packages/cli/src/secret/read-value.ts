import { UsageError } from "../errors.js";
import type { Output } from "../output/io.js";
import { hiddenPrompt, readAll } from "../prompt/hidden.js";

/**
 * A secret's value from stdin: typed at a hidden prompt on a terminal (nothing echoed), or
 * piped (`baton secret set token < token.txt`), without the final line break.
 */
export async function readSecretValue(name: string, out: Output, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  const value = stdin.isTTY
    ? await hiddenPrompt(`Value of secret ${name} (not shown): `, out.io.stderr, stdin, "cancelled; the secret was not set")
    : (await readAll(stdin)).replace(/\r?\n$/, "");
  if (value === "") throw new UsageError(`no value for secret ${name}; pipe it in (baton secret set ${name} < file) or type it at the prompt`);
  return value;
}
