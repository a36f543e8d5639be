import { Option, type Command } from "commander";
import { UsageError } from "../errors.js";
import { OUTPUT_FORMATS, type Output, type OutputFormat } from "./io.js";

/**
 * Commands that keep running or print something other than a result (a shell script, a process's
 * own output): a document on stdout means nothing for them, so they take no `-o`.
 */
const NO_OUTPUT_OPTION = new Set(["server start", "dev", "worker start", "flow-run execute", "completion"]);

function pathOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/**
 * One output convention for every command: `-o json|table|yaml`, with `--json` kept as the alias
 * of `-o json`. Added here to every leaf of the tree, after the commands are registered, so a new
 * command has it without anybody remembering to.
 */
export function addOutputOptions(program: Command): void {
  const walk = (command: Command) => {
    for (const sub of command.commands) {
      if (sub.commands.length > 0) walk(sub);
      else if (!NO_OUTPUT_OPTION.has(pathOf(sub))) {
        sub.addOption(new Option("-o, --output <format>", `how to print the result: ${OUTPUT_FORMATS.join(", ")} (default: table)`));
        if (!sub.options.some((o) => o.long === "--json")) sub.option("--json", "print the result as JSON (same as -o json)");
      }
    }
  };
  walk(program);
}

/**
 * Before a command's action: read `-o`/`--json` once, tell the output, and set the command's own
 * `json` option so its structured branch runs for YAML too. A wrong format is a usage error (2).
 */
export async function applyOutputOption(out: Output, command: Command): Promise<void> {
  const opts = command.opts<{ output?: string; json?: boolean }>();
  if (opts.output === undefined && !opts.json) return;
  const format = (opts.output ?? "json").toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`-o/--output must be one of ${OUTPUT_FORMATS.join(", ")}, not "${opts.output}"`);
  if (opts.json && format !== "json") throw new UsageError(`--json means -o json; drop one of --json and -o ${format}`);
  const toYaml = format === "yaml" ? (await import("yaml")).stringify : undefined;
  out.setFormat(format as OutputFormat, toYaml);
  command.setOptionValue("json", format !== "table");
}
