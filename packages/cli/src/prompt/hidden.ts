import { createInterface } from "node:readline";
import { PassThrough, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { UsageError } from "../errors.js";

/**
 * A line typed at a terminal without showing it: a real line editor (node:readline) whose echo
 * goes nowhere. Reading raw keystrokes by hand kept escape sequences as text (`abc`, Left, `d`
 * gave "abc\u001b[Dd") and Backspace removed half of an emoji; readline moves the cursor, deletes
 * whole characters and keeps no history. Ctrl-C cancels with `cancelled` in the error.
 */
export async function hiddenPrompt(prompt: string, stderr: { write(text: string): unknown }, stdin: NodeJS.ReadStream, cancelled: string): Promise<string> {
  stderr.write(prompt);
  const keys = oneKeyAtATime(stdin);
  const muted = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const rl = createInterface({ input: keys.stream, output: muted, terminal: true, historySize: 0 });
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once("line", resolve);
      rl.once("SIGINT", () => reject(new UsageError(cancelled)));
      // Ctrl-D on an empty line: no value, which the caller refuses with its own message.
      rl.once("close", () => resolve(""));
    });
  } finally {
    rl.close();
    keys.stop();
    stderr.write("\n");
  }
}

/**
 * The terminal's input, in raw mode, passed on one character at a time. Node 20's readline treats
 * a chunk of several characters as a paste and appends all but its last at the end of the line,
 * wherever the cursor is: `d` and Enter arriving together after Left gave "abcd", not "abdc".
 * Escape sequences stay whole: readline's key parser keeps its state across writes.
 */
function oneKeyAtATime(stdin: NodeJS.ReadStream): { stream: PassThrough; stop(): void } {
  const stream = new PassThrough();
  const decoder = new StringDecoder("utf8");
  const onData = (chunk: Buffer | string) => {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    for (const char of text) stream.write(char);
  };
  const raw = stdin.isTTY && typeof stdin.setRawMode === "function";
  if (raw) stdin.setRawMode(true);
  stdin.on("data", onData);
  stdin.resume();
  return {
    stream,
    stop() {
      stdin.off("data", onData);
      if (raw) stdin.setRawMode(false);
      stdin.pause();
      stream.end();
    },
  };
}

/** Everything piped in, as text (`baton secret set token < token.txt`, `echo $KEY | baton login --key-stdin`). */
export async function readAll(stdin: NodeJS.ReadStream): Promise<string> {
  let text = "";
  for await (const chunk of stdin) text += chunk;
  return text;
}
