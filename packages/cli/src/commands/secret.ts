import type { Command } from "commander";
import { z } from "zod";
import { MAX_PAGE_SIZE, SecretNameSchema } from "@baton/core";
import type { CommandContext } from "../context.js";
import { allPages } from "baton";
import { UsageError } from "../errors.js";
import { parseOptions } from "../options.js";
import { formatTime } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { readSecretValue } from "../secret/read-value.js";

const SetOptions = z.object({ value: z.string().optional() });
const JsonOption = z.object({ json: z.boolean().default(false) });

function secretName(name: string): string {
  const parsed = SecretNameSchema.safeParse(name);
  if (!parsed.success) throw new UsageError(`secret name "${name}": ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** Secrets are written and listed, never read back here: only a run that references one gets its value. */
export function registerSecret(program: Command, ctx: CommandContext): void {
  const secret = program.command("secret").description("Secrets for pull steps and job templates ({{ baton.secrets.NAME }}), stored encrypted");
  const { out } = ctx;

  secret
    .command("set")
    .description("Create or replace a secret; the value is read from stdin (hidden on a terminal) unless --value is given")
    .argument("<name>", "letters, digits, '-' and '_'")
    .option("--value <value>", "the value (it stays in your shell history: prefer stdin)")
    .addHelpText("after", "\nExamples:\n  baton secret set github-token            # type it, not shown\n  baton secret set deploy-key < ~/.ssh/deploy_key")
    .action(async (name: string, raw: unknown) => {
      const options = parseOptions(SetOptions, raw);
      const checked = secretName(name);
      const value = options.value ?? (await readSecretValue(checked, out));
      if (value === "") throw new UsageError(`--value is empty; a secret needs a value`);
      const client = await ctx.client();
      await client.call("setSecret", { params: { name: checked }, body: { value } });
      out.line(`Set secret '${checked}'`);
      out.note(`Reference it as "{{ baton.secrets.${checked} }}"`);
    });

  secret
    .command("ls")
    .description("List secrets: names and dates, never values")
    .option("--json", "print the secrets as a JSON array")
    .action(async (raw: unknown) => {
      const options = parseOptions(JsonOption, raw);
      const client = await ctx.client();
      const items = await allPages((cursor) => client.call("listSecrets", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
      if (options.json) return out.json(items);
      if (items.length === 0) return out.note("No secrets; set one with baton secret set NAME");
      out.line(renderTable(["NAME", "CREATED", "UPDATED"], items.map((s) => [s.name, formatTime(s.created), formatTime(s.updated)])));
    });

  secret
    .command("rm")
    .description("Delete a secret (runs that reference it will fail to resolve it)")
    .argument("<name>", "the secret's name")
    .action(async (name: string) => {
      const client = await ctx.client();
      await client.call("deleteSecret", { params: { name: secretName(name) } });
      out.line(`Deleted secret '${name}'`);
    });
}
