import type { Command } from "commander";
import { z } from "zod";
import { ApiError, BatonError } from "@baton/core";
import type { CommandContext } from "../context.js";
import { parseOptions } from "../options.js";

const LoginOptions = z.object({
  url: z.string().url("must be the API's URL, e.g. https://baton.example.com/api"),
  key: z.string().min(1, "must not be empty"),
});

export class LoginRefused extends BatonError {
  override readonly code = "LoginRefused";
}

/**
 * Check a key against a server and keep both in the active profile: what a person does once
 * per server instead of exporting BATON_API_URL and BATON_API_KEY in every shell.
 */
export function registerLogin(program: Command, ctx: CommandContext): void {
  program
    .command("login")
    .description("Check an API key against a server and save the URL and key in the active profile")
    .requiredOption("--url <url>", "the server's API, e.g. http://127.0.0.1:4200/api")
    .requiredOption("--key <key>", "an API key (bat_...), from baton api-key create or the server's first start")
    .action(async (raw: unknown) => {
      const options = parseOptions(LoginOptions, raw);
      const url = options.url.replace(/\/+$/, "");
      const { out } = ctx;
      const { createClientFromSettings } = await import("baton");
      const { loadSettings, setProfileSettings } = await import("baton/settings");
      // The profile's TLS settings (a private CA) apply; its URL and key do not, these are being checked.
      const client = await createClientFromSettings(loadSettings({ ...ctx.io.env, BATON_API_URL: url, BATON_API_KEY: options.key }));
      let who;
      try {
        who = await client.call("whoAmI", {});
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
          throw new LoginRefused(`LoginRefused: ${url} did not accept the key: ${error.message}`);
        }
        throw error;
      } finally {
        await client.close();
      }
      const settings = ctx.settings();
      setProfileSettings(settings.home, settings.profileName, [`BATON_API_URL=${url}`, `BATON_API_KEY=${options.key}`]);
      out.line(`Logged in to ${url} as '${who.name}' (role ${who.role ?? "-"}); saved BATON_API_URL and BATON_API_KEY in profile '${settings.profileName}'`);
      if (!who.auth_enabled) out.note("This server does not check credentials (authentication is off); the key is saved for when it does");
      for (const name of ["BATON_API_URL", "BATON_API_KEY"] as const) {
        if (ctx.io.env[name]) out.note(`${name} is also set in the environment, which wins over the profile; unset it to use what was just saved`);
      }
    });
}
