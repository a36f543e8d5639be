import { createInterface } from "node:readline/promises";
import { z } from "zod";
import { UsageError } from "../errors.js";

/**
 * A destructive command goes ahead with --yes, or when a person at a terminal answers "y".
 * Without a terminal nobody can answer, so it stops with the flag that says "yes" instead of
 * hanging or deleting unasked.
 */
export async function confirmOrRefuse(question: string, yes: boolean, stderr: NodeJS.WritableStream, stdin: NodeJS.ReadStream = process.stdin): Promise<void> {
  if (yes) return;
  if (!stdin.isTTY) throw new UsageError(`${question.replace(/\?$/, "")}: not confirmed; stdin is not a terminal, so pass --yes to go ahead`);
  const rl = createInterface({ input: stdin, output: stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError("Cancelled; nothing was changed");
  } finally {
    rl.close();
  }
}

const YesOption = z.object({ yes: z.boolean().default(false) });

/**
 * For a removal command registered with removal() (flags.ts): asks `question` unless its options
 * say --yes. Called after the thing is found, so a wrong name or key fails first with its own message.
 */
export async function confirmRemoval(question: string, rawOptions: unknown): Promise<void> {
  const { yes } = YesOption.parse(rawOptions ?? {});
  await confirmOrRefuse(question, yes, process.stderr);
}
