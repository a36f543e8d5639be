import { UsageError } from "../errors.js";
import type { Output } from "../output/io.js";

/**
 * A secret's value from stdin: typed at a hidden prompt on a terminal (nothing echoed), or
 * piped (`baton secret set token < token.txt`), without the final line break.
 */
export async function readSecretValue(name: string, out: Output, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  const value = stdin.isTTY ? await hiddenPrompt(`Value of secret ${name} (not shown): `, out, stdin) : (await readAll(stdin)).replace(/\r?\n$/, "");
  if (value === "") throw new UsageError(`no value for secret ${name}; pipe it in (baton secret set ${name} < file) or type it at the prompt`);
  return value;
}

async function readAll(stdin: NodeJS.ReadStream): Promise<string> {
  let text = "";
  for await (const chunk of stdin) text += chunk;
  return text;
}

function hiddenPrompt(prompt: string, out: Output, stdin: NodeJS.ReadStream): Promise<string> {
  out.io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = "";
    stdin.setRawMode(true);
    stdin.setEncoding("utf8");
    stdin.resume();
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      out.io.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return done();
        if (ch === "\u0003") return done(new UsageError("cancelled; the secret was not set"));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}
