import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { collect } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/deploy.js");

export function registerDeploy(program: Command, ctx: CommandContext): void {
  program
    .command("deploy")
    .description("Create or update the deployments of baton.yaml (everything is checked first; nothing is written when anything is wrong)")
    .option("--all", "deploy every deployment of the file")
    .option("-n, --name <name>", "deploy this deployment (repeatable)", collect)
    .option("--file <path>", "the baton.yaml to read; entrypoints are relative to its folder", "baton.yaml")
    .option("--branch <name>", "with no pull section: the branch runs clone (default: the CI's branch, else the checked-out one)")
    .option("--json", "print what was deployed as a JSON array")
    .addHelpText("after", "\nWith no pull section, runs clone this checkout's remote.origin.url (without any credential in it) at the\nbranch that CI_COMMIT_BRANCH, GITHUB_HEAD_REF or GITHUB_REF_NAME names, else the checked-out branch.\n\nExamples:\n  baton deploy\n  baton deploy --name etl-prod --file deploy/baton.yaml\n  baton deploy --all\n  baton deploy --all --branch main      # a detached HEAD outside CI")
    .action(lazy(ctx, actions, "deployCommand"));

  program
    .command("init")
    .description("Write a starting baton.yaml for this repository (flows found under flows/, or in the files given)")
    .argument("[files...]", "flow files to include (default: every .ts/.js file under flows/)")
    .action(lazy(ctx, actions, "initCommand"));
}
