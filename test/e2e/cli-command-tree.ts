import { fileURLToPath } from "node:url";
import type { Command } from "commander";

/** One leaf of `baton`'s command tree, as commander holds it (a command added tomorrow is here without anybody listing it). */
export interface CliCommand {
  /** `flow-run ls`. */
  name: string;
  path: string[];
  args: Array<{ name: string; required: boolean; variadic: boolean }>;
  /** Options the command cannot run without (commander's requiredOption). */
  mandatory: Array<{ flag: string; takesValue: boolean }>;
  /** commander's allowUnknownOption(): such a command runs whatever follows it. */
  allowsUnknownOptions: boolean;
  /** Every flag it takes (long form, else short), and its other names (`rm` for `delete`). */
  flags: string[];
  aliases: string[];
  /** Its `--help` text, as `baton ... --help` prints it. */
  help: string;
}

const PROGRAM = fileURLToPath(new URL("../../packages/cli/dist/program.js", import.meta.url));
const CONTEXT = fileURLToPath(new URL("../../packages/cli/dist/context.js", import.meta.url));

/** What `--help` prints for a command: commander's help and the text added after it. */
function helpOf(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (t) => void (text += t), writeErr: () => undefined });
  command.outputHelp();
  return text;
}

/** Every runnable command of the real CLI, read from commander's tree (the dist the `baton` binary runs). */
export async function cliCommands(): Promise<CliCommand[]> {
  const { createProgram } = (await import(PROGRAM)) as { createProgram(ctx: unknown): Command };
  const { CommandContext } = (await import(CONTEXT)) as { CommandContext: new (io: unknown) => unknown };
  const sink = { write: () => true };
  const program = createProgram(new CommandContext({ stdout: sink, stderr: sink, env: {}, cwd: process.cwd() }));
  const leaves: CliCommand[] = [];
  const walk = (command: Command, path: string[]) => {
    for (const sub of command.commands) {
      const here = [...path, sub.name()];
      if (sub.commands.length > 0) walk(sub, here);
      else
        leaves.push({
          name: here.join(" "),
          path: here,
          args: sub.registeredArguments.map((a) => ({ name: a.name(), required: a.required, variadic: a.variadic })),
          mandatory: sub.options.filter((o) => o.mandatory).map((o) => ({ flag: o.long ?? o.short!, takesValue: o.required || o.optional })),
          allowsUnknownOptions: Boolean((sub as unknown as { _allowUnknownOption?: boolean })._allowUnknownOption),
          flags: sub.options.map((o) => o.long ?? o.short!),
          aliases: sub.aliases(),
          help: helpOf(sub),
        });
    }
  };
  walk(program, []);
  return leaves;
}

/** A command with subcommands (`deployment`, `deployment schedule`): its help and what it holds. */
export interface CliGroup {
  name: string;
  path: string[];
  /** Its subcommands' names and aliases. */
  subcommands: string[];
  help: string;
}

/** Every command group of the real CLI, read from commander's tree. */
export async function cliGroups(): Promise<CliGroup[]> {
  const { createProgram } = (await import(PROGRAM)) as { createProgram(ctx: unknown): Command };
  const { CommandContext } = (await import(CONTEXT)) as { CommandContext: new (io: unknown) => unknown };
  const sink = { write: () => true };
  const program = createProgram(new CommandContext({ stdout: sink, stderr: sink, env: {}, cwd: process.cwd() }));
  const groups: CliGroup[] = [];
  const walk = (command: Command, path: string[]) => {
    for (const sub of command.commands) {
      if (sub.commands.length === 0) continue;
      const here = [...path, sub.name()];
      groups.push({ name: here.join(" "), path: here, subcommands: sub.commands.flatMap((c) => [c.name(), ...c.aliases()]), help: helpOf(sub) });
      walk(sub, here);
    }
  };
  walk(program, []);
  return groups;
}
