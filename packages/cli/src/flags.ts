import type { Command } from "commander";

/** For repeatable flags: `--param a=1 --param b=2`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * A command that removes something: `rm` is its alias (as in Prefect, both work) and it asks
 * first on a terminal; `--yes` is how a script says yes (the action calls confirmRemoval).
 */
export function removal(command: Command): Command {
  return command.alias("rm").option("-y, --yes", "do not ask; needed when stdin is not a terminal");
}
