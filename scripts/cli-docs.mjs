#!/usr/bin/env node
// docs/cli.md's reference part, generated from the commands' own --help (the built CLI, so run
// `npx tsc -b packages/cli` first): `node scripts/cli-docs.mjs` rewrites it, `--check` fails when
// it is stale (test/cli-docs.test.ts does the same). The prose above the marker is written by hand.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DOC = `${ROOT}docs/cli.md`;
export const MARKER = "<!-- Everything below is generated from the commands' --help by scripts/cli-docs.mjs; do not edit it by hand. -->";

/**
 * What a team coming from Prefect types, and the Baton command that does it. The test checks
 * that every Baton command named here exists and takes the flags written after it.
 */
export const PREFECT_TO_BATON = [
  ["prefect flow ls", "baton flow ls"],
  ["prefect flow-run ls --state FAILED --limit 5", "baton flow-run ls --state failed --limit 5"],
  ["prefect flow-run inspect ID", "baton flow-run inspect ID"],
  ["prefect flow-run logs ID --head / --tail N", "baton flow-run logs ID --head N / baton flow-run logs ID --tail N"],
  ["prefect flow-run logs ID --num-logs N", "baton flow-run logs ID --limit N"],
  ["prefect flow-run cancel ID", "baton flow-run cancel ID"],
  ["prefect flow-run retry ID", "baton flow-run retry ID"],
  ["prefect flow-run delete ID", "baton flow-run delete ID --yes"],
  ["prefect flow-run watch ID", "baton flow-run watch ID --timeout 600"],
  ["prefect task-run ls", "baton task-run ls --flow-run ID"],
  ["prefect task-run inspect ID", "baton task-run inspect ID"],
  ["prefect task-run logs ID", "baton task-run logs ID"],
  ["prefect deploy --all", "baton deploy --all"],
  ["prefect init", "baton init"],
  ["prefect deployment ls", "baton deployment ls --limit 20"],
  ["prefect deployment inspect F/D", "baton deployment inspect F/D"],
  ["prefect deployment run F/D --param k=v --watch", "baton deployment run F/D --param k=v --watch"],
  ["prefect deployment run F/D --start-in 10m --tag T --flow-run-name N", "baton deployment run F/D --start-in 10m --tag T --flow-run-name N"],
  ["prefect deployment pause / resume F/D", "baton deployment pause F/D / baton deployment resume F/D"],
  ["prefect deployment delete F/D", "baton deployment delete F/D --yes"],
  ["prefect deployment schedule ls F/D", "baton deployment schedule ls F/D"],
  ["prefect deployment schedule create F/D --cron C --timezone TZ", "baton deployment schedule create F/D --cron C --timezone TZ"],
  ["prefect deployment schedule create F/D --interval SECONDS --anchor-date T", "baton deployment schedule create F/D --interval SECONDS --anchor-date T"],
  ["prefect deployment schedule create F/D --rrule R", "baton deployment schedule create F/D --rrule R"],
  ["prefect deployment schedule create F/D --cron C --day_or false --no-active", "baton deployment schedule create F/D --cron C --no-day-or --inactive"],
  ["prefect deployment schedule pause / resume F/D ID", "baton deployment schedule pause F/D ID / baton deployment schedule resume F/D ID"],
  ["prefect deployment schedule delete F/D ID", "baton deployment schedule delete F/D ID --yes"],
  ["prefect work-pool create P --type process", "baton work-pool create P --type process"],
  ["prefect work-pool ls / inspect P", "baton work-pool ls / baton work-pool inspect P"],
  ["prefect work-pool update P --concurrency-limit N", "baton work-pool update P --concurrency-limit N"],
  ["prefect work-pool pause / resume P", "baton work-pool pause P / baton work-pool resume P"],
  ["prefect work-pool clear-concurrency-limit P", "baton work-pool clear-concurrency-limit P"],
  ["prefect work-pool get-default-base-job-template --type T", "baton work-pool default-template --type T"],
  ["prefect work-pool delete P", "baton work-pool delete P --yes"],
  ["prefect work-queue create Q --pool P --priority N", "baton work-queue create Q --pool P --priority N"],
  ["prefect work-queue ls --pool P", "baton work-queue ls --pool P"],
  ["prefect work-queue inspect Q --pool P", "baton work-queue inspect Q --pool P"],
  ["prefect work-queue preview Q --pool P --hours N", "baton work-queue preview Q --pool P --hours N"],
  ["prefect work-queue pause / resume Q --pool P", "baton work-queue pause Q --pool P / baton work-queue resume Q --pool P"],
  ["prefect work-queue set-concurrency-limit Q N", "baton work-queue update Q --pool P --concurrency-limit N"],
  ["prefect work-queue clear-concurrency-limit Q", "baton work-queue clear-concurrency-limit Q --pool P"],
  ["prefect work-queue delete Q --pool P", "baton work-queue delete Q --pool P --yes"],
  ["prefect worker start --pool P", "baton worker start --pool P"],
  ["prefect variable set NAME VALUE --overwrite", "baton variable set NAME VALUE --overwrite"],
  ["prefect variable get / ls / unset NAME", "baton variable get NAME / baton variable ls / baton variable delete NAME --yes"],
  ["prefect block create secret (Secret block)", "baton secret set NAME --pool P"],
  ["prefect concurrency-limit create TAG N", "baton concurrency-limit create-tag TAG N"],
  ["prefect concurrency-limit ls / inspect / delete", "baton concurrency-limit ls / baton concurrency-limit inspect NAME / baton concurrency-limit delete NAME --yes"],
  ["prefect global-concurrency-limit create NAME --limit N", "baton concurrency-limit create NAME --limit N"],
  ["prefect automation ls / inspect / pause / resume / delete", "baton automation ls / baton automation inspect A / baton automation pause A / baton automation resume A / baton automation delete A --yes"],
  ["prefect artifact ls / inspect / delete", "baton artifact ls / baton artifact inspect KEY / baton artifact delete KEY --yes"],
  ["prefect config set / unset / view --show-sources", "baton config set K=V / baton config unset K / baton config view --show-sources"],
  ["prefect profile ls / create / use / rename / delete / inspect", "baton profile ls / baton profile create N / baton profile use N / baton profile rename A B / baton profile delete N --yes / baton profile inspect N"],
  ["prefect --profile NAME COMMAND", "baton --profile NAME COMMAND (or -p NAME)"],
  ["prefect cloud login", "baton login --url URL"],
  ["prefect server start", "baton server start"],
  ["prefect server database upgrade / reset -y", "baton server database upgrade / baton server database reset --yes"],
  ["prefect version", "baton version"],
  ["prefect --install-completion", "baton completion bash|zsh|fish"],
  ["prefect ... -o json", "baton ... -o json|yaml|table (or --json)"],
];

function pathOf(command) {
  const names = [];
  for (let c = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** A command's help as `baton ... --help` prints it without a terminal: 100 columns, no color. */
function helpOf(command) {
  let text = "";
  command.configureOutput({ writeOut: (t) => void (text += t), writeErr: () => undefined, getOutHelpWidth: () => 100, getOutHasColors: () => false });
  command.outputHelp();
  return text.trimEnd();
}

/** The commander tree of the built CLI, and every command in it in the order --help lists them. */
export async function loadCommands() {
  const { createProgram } = await import(`${ROOT}packages/cli/dist/program.js`);
  const { CommandContext } = await import(`${ROOT}packages/cli/dist/context.js`);
  const sink = { write: () => true };
  const program = createProgram(new CommandContext({ stdout: sink, stderr: sink, env: {}, cwd: ROOT }));
  const all = [];
  const walk = (command) => {
    all.push(command);
    for (const sub of command.commands) walk(sub);
  };
  walk(program);
  return { program, all };
}

export async function renderReference() {
  const { all } = await loadCommands();
  const lines = [MARKER, "", "## Prefect command -> Baton command", "", "| Prefect | Baton |", "|---|---|"];
  for (const [prefect, baton] of PREFECT_TO_BATON) lines.push(`| \`${prefect}\` | \`${baton.replace(/\|/g, "\\|")}\` |`);
  lines.push("", "## Every command", "");
  for (const command of all) {
    const path = pathOf(command);
    lines.push(`### baton${path ? ` ${path}` : ""}`, "", "```", helpOf(command), "```", "");
  }
  return lines.join("\n");
}

/** The whole file: the hand-written part as it is, then the generated reference. */
export async function renderDoc() {
  const current = readFileSync(DOC, "utf8");
  const at = current.indexOf(MARKER);
  const prose = (at === -1 ? current : current.slice(0, at)).trimEnd();
  return `${prose}\n\n${await renderReference()}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const wanted = await renderDoc();
  if (process.argv.includes("--check")) {
    if (readFileSync(DOC, "utf8") !== wanted) {
      console.error("docs/cli.md is stale: run node scripts/cli-docs.mjs (after npx tsc -b packages/cli)");
      process.exit(1);
    }
  } else writeFileSync(DOC, wanted);
}
