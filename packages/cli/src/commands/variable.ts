import type { Command } from "commander";
import { z } from "zod";
import { MAX_PAGE_SIZE, SecretNameSchema } from "@baton/core";
import type { CommandContext } from "../context.js";
import { allPages } from "baton";
import { UsageError } from "../errors.js";
import { parseOptions } from "../options.js";
import { formatTime } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { parseParamValue } from "../run/params.js";

const JsonOption = z.object({ json: z.boolean().default(false) });

function variableName(name: string): string {
  const parsed = SecretNameSchema.safeParse(name);
  if (!parsed.success) throw new UsageError(`variable name "${name}": ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** Plain configuration values for `{{ baton.variables.NAME }}`: not secret, readable by anyone with read access. */
export function registerVariable(program: Command, ctx: CommandContext): void {
  const variable = program.command("variable").description("Variables for pull steps and job templates ({{ baton.variables.NAME }})");
  const { out } = ctx;

  variable
    .command("set")
    .description("Create or replace a variable; the value is read as JSON when it is valid JSON, else as text")
    .argument("<name>", "letters, digits, '-' and '_'")
    .argument("<value>", 'e.g. main, 3, \'{"region":"eu"}\'')
    .action(async (name: string, value: string) => {
      const client = await ctx.client();
      await client.call("setVariable", { params: { name: variableName(name) }, body: { value: parseParamValue(value) } });
      out.line(`Set variable '${name}'`);
    });

  variable
    .command("get")
    .description("Print a variable's value as JSON")
    .argument("<name>", "the variable's name")
    .action(async (name: string) => {
      const client = await ctx.client();
      const found = await client.call("readVariable", { params: { name: variableName(name) } });
      out.line(JSON.stringify(found.value));
    });

  variable
    .command("ls")
    .description("List variables with their values")
    .option("--json", "print the variables as a JSON array")
    .action(async (raw: unknown) => {
      const options = parseOptions(JsonOption, raw);
      const client = await ctx.client();
      const items = await allPages((cursor) => client.call("listVariables", { query: { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) } }));
      if (options.json) return out.json(items);
      if (items.length === 0) return out.note("No variables; set one with baton variable set NAME VALUE");
      out.line(renderTable(["NAME", "VALUE", "UPDATED"], items.map((v) => [v.name, JSON.stringify(v.value), formatTime(v.updated)])));
    });

  variable
    .command("rm")
    .description("Delete a variable")
    .argument("<name>", "the variable's name")
    .action(async (name: string) => {
      const client = await ctx.client();
      await client.call("deleteVariable", { params: { name: variableName(name) } });
      out.line(`Deleted variable '${name}'`);
    });
}
