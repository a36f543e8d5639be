import { z } from "zod";
import { ApiError, BatonError } from "@baton/core";
import type { CommandContext } from "../context.js";
import { UsageError } from "../errors.js";
import { parseOptions } from "../options.js";
import { hiddenPrompt, readAll } from "../prompt/hidden.js";

const LoginOptions = z.object({
  url: z.string().url("must be the API's URL, e.g. https://baton.example.com/api"),
  key: z.string().min(1, "must not be empty").optional(),
  keyStdin: z.boolean().default(false),
});

export class LoginRefused extends BatonError {
  override readonly code = "LoginRefused";
}

export class ApiUrlWithoutApi extends BatonError {
  override readonly code = "ApiUrlWithoutApi";
}

/**
 * Where the key comes from, most explicit first. `--key` still works but shows the key to anyone
 * who can list processes (`ps`), so a person is asked at a hidden prompt and a script pipes it.
 */
async function readKey(options: z.output<typeof LoginOptions>, ctx: CommandContext, stdin: NodeJS.ReadStream): Promise<{ key: string; from: string }> {
  if (options.key !== undefined && options.key !== "-") return { key: options.key, from: "--key" };
  if (options.keyStdin || options.key === "-") {
    if (stdin.isTTY) return { key: await prompt(ctx, stdin), from: "the prompt" };
    return { key: nonEmpty((await readAll(stdin)).trim(), "stdin was empty; pipe the key in: printf %s \"$KEY\" | baton login --url URL --key-stdin"), from: "stdin" };
  }
  if (ctx.io.env.BATON_API_KEY) return { key: ctx.io.env.BATON_API_KEY, from: "BATON_API_KEY" };
  if (stdin.isTTY) return { key: await prompt(ctx, stdin), from: "the prompt" };
  throw new UsageError("no API key: type it at the prompt (run in a terminal), pipe it in with --key-stdin, or set BATON_API_KEY; create one with baton api-key create");
}

async function prompt(ctx: CommandContext, stdin: NodeJS.ReadStream): Promise<string> {
  const key = await hiddenPrompt("API key (not shown): ", ctx.io.stderr, stdin, "cancelled; nothing was saved");
  return nonEmpty(key.trim(), "no key typed; paste the key (bat_...) at the prompt");
}

function nonEmpty(key: string, why: string): string {
  if (!key) throw new UsageError(why);
  return key;
}

async function whoAmI(ctx: CommandContext, url: string, key: string) {
  const { createClientFromSettings } = await import("baton");
  const { loadSettings } = await import("baton/settings");
  // The profile's TLS settings (a private CA) apply; its URL and key do not, these are being checked.
  const client = await createClientFromSettings(loadSettings({ ...ctx.io.env, BATON_API_URL: url, BATON_API_KEY: key }));
  try {
    return await client.call("whoAmI", {});
  } finally {
    await client.close();
  }
}

/**
 * The address of the server (http://host:4200) where its API (http://host:4200/api) was meant is
 * the most common slip: when the URL does not end in /api and the same URL with /api is a Baton
 * API (it answers, even if only to refuse the key), say so instead of a 404 or a parse error.
 */
async function suggestApiPath(ctx: CommandContext, url: string, key: string): Promise<void> {
  if (/\/api$/.test(new URL(url).pathname)) return;
  const withApi = `${url}/api`;
  const isBaton = await whoAmI(ctx, withApi, key).then(
    () => true,
    (error: unknown) => error instanceof ApiError && (error.status === 401 || error.status === 403),
  );
  if (isBaton) throw new ApiUrlWithoutApi(`ApiUrlWithoutApi: ${url} is the Baton server, not its API; the API is at ${withApi}: run baton login --url ${withApi}`);
}

export async function loginCommand(ctx: CommandContext, raw: unknown) {
  const options = parseOptions(LoginOptions, raw);
  const url = options.url.replace(/\/+$/, "");
  const { out } = ctx;
  const { key, from } = await readKey(options, ctx, process.stdin);
  let who;
  try {
    who = await whoAmI(ctx, url, key);
  } catch (error) {
    await suggestApiPath(ctx, url, key);
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      throw new LoginRefused(`LoginRefused: ${url} did not accept the key (from ${from}): ${error.message}`);
    }
    throw error;
  }
  const { setProfileSettings } = await import("baton/settings");
  const settings = ctx.settings();
  setProfileSettings(settings.home, settings.profileName, [`BATON_API_URL=${url}`, `BATON_API_KEY=${key}`]);
  if (out.structured) out.json({ url, profile: settings.profileName, name: who.name, role: who.role ?? null, auth_enabled: who.auth_enabled });
  out.line(`Logged in to ${url} as '${who.name}' (role ${who.role ?? "-"}); saved BATON_API_URL and BATON_API_KEY in profile '${settings.profileName}'`);
  if (from === "--key") out.note("The key was on the command line, where ps and the shell's history show it; next time let baton login ask for it, or pipe it in with --key-stdin");
  if (!who.auth_enabled) out.note("This server does not check credentials (authentication is off); the key is saved for when it does");
  for (const name of ["BATON_API_URL", "BATON_API_KEY"] as const) {
    if (ctx.io.env[name] && !(name === "BATON_API_KEY" && from === "BATON_API_KEY")) {
      out.note(`${name} is also set in the environment, which wins over the profile; unset it to use what was just saved`);
    }
  }
}
