/**
 * The arguments of `baton flow-run execute [ID]` exactly, which every worker starts for every
 * run: it then skips building the whole command line (commander and some 50 modules, 150 ms and
 * more on a busy machine) on the way to the flow's first line. Anything else (a flag, --help,
 * another command) returns undefined and goes through the full program.
 */
export function fastExecuteArgs(argv: string[]): { id: string | undefined } | undefined {
  const args = argv.slice(2);
  if (args[0] !== "flow-run" || args[1] !== "execute" || args.length > 3) return undefined;
  if (args[2] !== undefined && args[2].startsWith("-")) return undefined;
  return { id: args[2] };
}
