import { Command } from "commander";
import { BATON_VERSION } from "@baton/core/runtime";
import type { CommandContext } from "./context.js";
import { registerConfig } from "./commands/config.js";
import { registerFlowRun } from "./commands/flow-run.js";
import { registerFlow } from "./commands/flow.js";
import { registerTaskRun } from "./commands/task-run.js";
import { registerProfile } from "./commands/profile.js";
import { registerRun } from "./commands/run.js";
import { registerServer } from "./commands/server.js";
import { registerVersion } from "./commands/version.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerDeployment } from "./commands/deployment.js";
import { registerDeploymentPreview } from "./commands/deployment-preview.js";
import { registerWorkPool } from "./commands/work-pool.js";
import { registerWorkQueue } from "./commands/work-queue.js";
import { registerWorker } from "./commands/worker.js";
import { registerSecret } from "./commands/secret.js";
import { registerVariable } from "./commands/variable.js";
import { registerConcurrencyLimit } from "./commands/concurrency-limit.js";
import { registerNotification } from "./commands/notification.js";
import { registerAutomation } from "./commands/automation.js";
import { registerDev } from "./commands/dev.js";
import { registerApiKey } from "./commands/api-key.js";
import { registerAudit } from "./commands/audit.js";
import { registerLogin } from "./commands/login.js";
import { registerArtifact } from "./commands/artifact.js";
import { registerCompletion } from "./commands/completion.js";
import { addExamples } from "./commands/examples.js";
import { addOutputOptions, applyOutputOption } from "./output/option.js";

export function createProgram(ctx: CommandContext): Command {
  const program = new Command("baton")
    .description("Baton: workflow orchestration for TypeScript")
    .version(BATON_VERSION, "-V, --version", "print the client version (baton version shows the server's too)")
    .option("-p, --profile <name>", "run with this profile's settings, as BATON_PROFILE=NAME does (baton profile ls lists them)")
    .addHelpText(
      "after",
      "\nExamples:\n  baton dev                                   # a local server and worker\n  baton run flows/etl.ts:etlFlow --param limit=2\n  baton deploy --all && baton deployment run etl-flow/etl-prod --watch\n  baton -p staging flow-run ls --state failed -o json\n\nEvery command has --help with examples; all of them: docs/cli.md",
    )
    .showHelpAfterError("(run with --help for usage)")
    .showSuggestionAfterError(true)
    // Errors come back to main() instead of exiting, so one boundary decides codes and output.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
      outputError: (text, write) => write(ctx.out.errColors.red(text)),
    });
  registerRun(program, ctx);
  registerDev(program, ctx);
  registerServer(program, ctx);
  registerDeploy(program, ctx);
  registerDeployment(program, ctx);
  registerDeploymentPreview(program, ctx);
  registerFlow(program, ctx);
  registerFlowRun(program, ctx);
  registerTaskRun(program, ctx);
  registerWorkPool(program, ctx);
  registerWorkQueue(program, ctx);
  registerWorker(program, ctx);
  registerSecret(program, ctx);
  registerVariable(program, ctx);
  registerConcurrencyLimit(program, ctx);
  registerNotification(program, ctx);
  registerAutomation(program, ctx);
  registerArtifact(program, ctx);
  registerApiKey(program, ctx);
  registerLogin(program, ctx);
  registerAudit(program, ctx);
  registerConfig(program, ctx);
  registerProfile(program, ctx);
  registerVersion(program, ctx);
  registerCompletion(program, ctx);
  addOutputOptions(program);
  addExamples(program);
  program.hook("preAction", async (_program, command) => {
    const { profile } = program.opts<{ profile?: string }>();
    if (profile !== undefined) ctx.selectProfile(profile);
    await applyOutputOption(ctx.out, command);
  });
  return program;
}
