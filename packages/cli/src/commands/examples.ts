import type { Command } from "commander";

/**
 * Examples for the commands that do not add their own help text after the options: every
 * command's help ends with at least one (issue 22), and docs/cli.md shows them. A command with
 * examples of its own (addHelpText "after") keeps those.
 */
const EXAMPLES: Record<string, string[]> = {
  dev: ["baton dev                     # server on :4200 and a worker on pool 'default'", "baton dev --port 4300 --pool local"],
  "server start": ["baton server start", "baton server start --host 0.0.0.0 --database-url postgresql://baton@db/baton --tls-cert cert.pem --tls-key key.pem"],
  "server create-admin-key": ["baton server create-admin-key --name recovery"],
  init: ["baton init                      # every flow file under flows/", "baton init flows/etl.ts flows/report.ts"],
  "deployment ls": ["baton deployment ls", "baton deployment ls --limit 20 -o json"],
  "deployment inspect": ["baton deployment inspect etl-flow/etl-prod", "baton deployment inspect 0190c0de -o yaml"],
  "deployment pause": ["baton deployment pause etl-flow/etl-prod"],
  "deployment resume": ["baton deployment resume etl-flow/etl-prod"],
  "deployment delete": ["baton deployment delete etl-flow/etl-prod        # asks first", "baton deployment rm etl-flow/etl-prod --yes   # in a script"],
  "flow-run ls": ["baton flow-run ls --state failed --limit 5", "baton flow-run ls --upcoming --deployment etl-flow/etl-prod", "baton flow-run ls --pool prod --tag backfill --since 1d -o json"],
  "flow-run inspect": ["baton flow-run inspect brave-otter", "baton flow-run inspect 0190c0de -o json"],
  "flow-run execute": ["BATON_FLOW_RUN_ID=... baton flow-run execute   # what a worker starts; not for people"],
  "flow-run cancel": ["baton flow-run cancel brave-otter", "baton flow-run cancel $ID -o json"],
  "flow-run why": ["baton flow-run why brave-otter    # why it is still Scheduled or Pending"],
  "work-pool create": ["baton work-pool create prod --type process", "baton work-pool create k8s --type kubernetes --base-job-template template.json --concurrency-limit 10"],
  "work-pool ls": ["baton work-pool ls", "baton work-pool ls -o yaml"],
  "work-pool inspect": ["baton work-pool inspect prod", "baton work-pool inspect prod -o json"],
  "work-pool update": ["baton work-pool update prod --concurrency-limit 4", "baton work-pool update prod --base-job-template template.json"],
  "work-pool pause": ["baton work-pool pause prod"],
  "work-pool resume": ["baton work-pool resume prod"],
  "work-pool delete": ["baton work-pool delete prod          # asks first", "baton work-pool rm prod --yes        # in a script"],
  "work-pool default-template": ["baton work-pool default-template --type kubernetes > template.json"],
  "work-queue create": ["baton work-queue create urgent --pool prod --priority 1 --concurrency-limit 2"],
  "work-queue ls": ["baton work-queue ls --pool prod"],
  "work-queue update": ["baton work-queue update urgent --pool prod --priority 5"],
  "work-queue pause": ["baton work-queue pause urgent --pool prod"],
  "work-queue resume": ["baton work-queue resume urgent --pool prod"],
  "work-queue delete": ["baton work-queue delete urgent --pool prod --yes"],
  "secret ls": ["baton secret ls"],
  "secret delete": ["baton secret delete git-token        # asks first", "baton secret rm git-token --yes"],
  "variable get": ["baton variable get region            # the value, as JSON", "baton variable get region -o yaml    # the variable"],
  "variable ls": ["baton variable ls", "baton variable ls -o json"],
  "variable delete": ["baton variable delete region --yes"],
  "concurrency-limit ls": ["baton concurrency-limit ls"],
  "concurrency-limit inspect": ["baton concurrency-limit inspect warehouse", "baton concurrency-limit inspect tag:warehouse-db -o json"],
  "concurrency-limit delete": ["baton concurrency-limit delete warehouse --yes"],
  "notification ls": ["baton notification ls"],
  "notification inspect": ["baton notification inspect on-failure -o json"],
  "notification enable": ["baton notification enable on-failure"],
  "notification disable": ["baton notification disable on-failure"],
  "notification delete": ["baton notification delete on-failure --yes"],
  "notification test": ["baton notification test on-failure"],
  "notification deliveries": ["baton notification deliveries --rule on-failure --status failed --limit 20"],
  "automation ls": ["baton automation ls"],
  "automation inspect": ["baton automation inspect retry-etl -o yaml"],
  "automation pause": ["baton automation pause retry-etl"],
  "automation resume": ["baton automation resume retry-etl"],
  "automation delete": ["baton automation delete retry-etl --yes"],
  "automation firings": ["baton automation firings --automation retry-etl --limit 10"],
  "api-key create": ["baton api-key create --name ci --role deployer --expires 90d", "baton api-key create --name prod-worker --role worker --work-pool prod"],
  "api-key ls": ["baton api-key ls"],
  "api-key revoke": ["baton api-key revoke ci          # asks first", "baton api-key revoke ci --yes"],
  "audit ls": ["baton audit ls --limit 20", "baton audit ls --actor ci --action updateWorkPool -o json"],
  "config set": ["baton config set BATON_API_URL=http://127.0.0.1:4200/api", "baton -p staging config set BATON_LOGGING_LEVEL=DEBUG"],
  "config unset": ["baton config unset BATON_LOGGING_LEVEL"],
  "config view": ["baton config view --show-sources", "baton -p staging config view -o json"],
  "profile ls": ["baton profile ls"],
  "profile create": ["baton profile create staging --from default"],
  "profile use": ["baton profile use staging", "baton -p staging flow-run ls       # one command with another profile"],
  "profile delete": ["baton profile delete staging --yes"],
  "profile inspect": ["baton profile inspect staging"],
  version: ["baton version", "baton version -o json"],
};

/**
 * A command group's help (`baton deployment --help`) ends with examples too: the group's most
 * used commands, each a real command of the group (the command-tree test checks it).
 */
const GROUP_EXAMPLES: Record<string, string[]> = {
  server: ["baton server start", "baton server database upgrade", "baton server prune --older-than 30d --yes"],
  "server database": ["baton server database upgrade", "baton server database reset --yes"],
  deployment: ["baton deployment ls", "baton deployment run etl-flow/etl-prod --param limit=2 --watch", "baton deployment schedule create etl-flow/etl-prod --cron \"0 9 * * 1-5\" --timezone Europe/Paris"],
  "deployment schedule": ["baton deployment schedule ls etl-flow/etl-prod", "baton deployment schedule create etl-flow/etl-prod --interval 10m --param limit=100", "baton deployment schedule pause etl-flow/etl-prod 0190c0de-51ab"],
  flow: ["baton flow ls", "baton flow inspect etl-flow"],
  "flow-run": ["baton flow-run ls --state failed --limit 5", "baton flow-run logs brave-otter --tail 20", "baton flow-run watch $ID --timeout 600", "baton flow-run why brave-otter"],
  "task-run": ["baton task-run ls --flow-run brave-otter", "baton task-run logs 0190c0de-..."],
  "work-pool": ["baton work-pool create prod --type process", "baton work-pool ls", "baton work-pool update prod --concurrency-limit 4"],
  "work-queue": ["baton work-queue create urgent --pool prod --priority 1", "baton work-queue ls --pool prod", "baton work-queue preview default --pool prod --hours 2"],
  worker: ["baton worker start --pool prod --type process"],
  secret: ["baton secret set github-token --deployment etl/prod   # type it, not shown", "baton secret ls"],
  variable: ["baton variable set branch main", "baton variable get branch", "baton variable ls -o json"],
  "concurrency-limit": ["baton concurrency-limit create warehouse --limit 1", "baton concurrency-limit create-tag database 5", "baton concurrency-limit ls"],
  notification: ["baton notification create nightly-failed --on failed,crashed --deployment etl/nightly --slack env", "baton notification test nightly-failed", "baton notification deliveries --status failed"],
  automation: ["baton automation create too-long --running-longer-than 2h --flow etl --cancel-run", "baton automation ls", "baton automation firings --automation too-long"],
  artifact: ["baton artifact ls --flow-run $ID", "baton artifact inspect nightly-report"],
  "api-key": ["baton api-key create --name ci --role deployer --expires 90d", "baton api-key ls", "baton api-key revoke ci --yes"],
  audit: ["baton audit ls --limit 20"],
  config: ["baton config view --show-sources", "baton config set BATON_API_URL=http://127.0.0.1:4200/api"],
  profile: ["baton profile create staging --from default", "baton profile use staging", "baton profile ls"],
};

function pathOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

export function addExamples(program: Command): void {
  const walk = (command: Command) => {
    for (const sub of command.commands) {
      walk(sub);
      const examples = (sub.commands.length === 0 ? EXAMPLES : GROUP_EXAMPLES)[pathOf(sub)];
      if (examples && (sub as unknown as import("node:events").EventEmitter).listenerCount("afterHelp") === 0) {
        sub.addHelpText("after", `\nExamples:\n${examples.map((e) => `  ${e}`).join("\n")}`);
      }
    }
  };
  walk(program);
}
