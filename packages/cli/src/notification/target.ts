import type { NotificationTarget } from "@baton/core";
import { UsageError } from "../errors.js";

export interface TargetOptions {
  webhook?: string | undefined;
  hmacSecret?: string | undefined;
  slack?: string | undefined;
  teams?: string | undefined;
  emailTo: string[];
  emailFrom?: string | undefined;
  smtpHost?: string | undefined;
  smtpPort?: number | undefined;
  smtpSecure: boolean;
  smtpUsername?: string | undefined;
  smtpPassword?: string | undefined;
}

/**
 * A secret given as `env:NAME` is read from the environment, so a webhook URL or SMTP password
 * need not sit in the shell's history or the process list.
 */
export function secretValue(flag: string, value: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (value === undefined || !value.startsWith("env:")) return value;
  const name = value.slice(4);
  const found = env[name];
  if (!found) throw new UsageError(`${flag} env:${name}: the environment variable ${name} is not set; export it, or give the value itself`);
  return found;
}

/** The one target the flags describe: exactly one of --webhook, --slack, --teams, --email-to. */
export function targetFromOptions(o: TargetOptions): NotificationTarget {
  const given = [o.webhook && "--webhook", o.slack && "--slack", o.teams && "--teams", o.emailTo.length > 0 && "--email-to"].filter(Boolean);
  if (given.length !== 1) {
    throw new UsageError(given.length === 0 ? "give a target: --webhook URL, --slack URL, --teams URL or --email-to ADDRESS (with --smtp-host and --email-from)" : `give one target, not ${given.join(" and ")}; make a rule per target`);
  }
  if (o.webhook) {
    const secret = secretValue("--hmac-secret", o.hmacSecret);
    return { type: "webhook", url: secretValue("--webhook", o.webhook)!, ...(secret ? { hmac_secret: secret } : {}) };
  }
  if (o.slack) return { type: "slack", url: secretValue("--slack", o.slack)! };
  if (o.teams) return { type: "teams", url: secretValue("--teams", o.teams)! };
  if (!o.smtpHost) throw new UsageError("--email-to needs --smtp-host HOST (and --smtp-port, --smtp-username, --smtp-password as your mail server wants)");
  if (!o.emailFrom) throw new UsageError("--email-to needs --email-from ADDRESS, the sender the mail server accepts");
  const password = secretValue("--smtp-password", o.smtpPassword);
  return {
    type: "email",
    host: o.smtpHost,
    ...(o.smtpPort !== undefined ? { port: o.smtpPort } : {}),
    secure: o.smtpSecure,
    ...(o.smtpUsername ? { username: o.smtpUsername } : {}),
    ...(password ? { password } : {}),
    from: o.emailFrom,
    to: o.emailTo,
  };
}
