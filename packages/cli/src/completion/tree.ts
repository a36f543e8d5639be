import type { Command } from "commander";

/** "work-pool create" -> the words that may follow it: subcommands, then flags. */
export type CompletionTree = Map<string, string[]>;

/** Every command path of the program and what can be typed after it, from commander's own tree. */
export function completionTree(program: Command): CompletionTree {
  const tree: CompletionTree = new Map();
  const walk = (command: Command, path: string) => {
    const subcommands = command.commands.flatMap((c) => [c.name(), ...c.aliases()]);
    const flags = command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
    tree.set(path, [...subcommands, ...flags, "--help"]);
    for (const sub of command.commands) for (const name of [sub.name(), ...sub.aliases()]) walk(sub, path ? `${path} ${name}` : name);
  };
  walk(program, "");
  return tree;
}
