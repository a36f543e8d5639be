import type { NotificationTargetSchema, NotificationTargetView } from "@baton/core";
import type { z } from "zod";

export type Target = z.output<typeof NotificationTargetSchema>;

/** The parts of a target that are secrets: sealed at rest, never returned. */
export interface TargetSecrets {
  url?: string;
  hmac_secret?: string;
  password?: string;
}

/** Split a target into what may be shown (JSON in the row) and what is sealed. */
export function splitTarget(target: Target): { shown: Record<string, unknown>; secrets: TargetSecrets } {
  if (target.type === "email") {
    const { password, ...shown } = target;
    return { shown, secrets: password !== undefined ? { password } : {} };
  }
  if (target.type === "webhook") {
    const { url, hmac_secret, ...shown } = target;
    return { shown: { ...shown, url: maskUrl(url) }, secrets: { url, ...(hmac_secret !== undefined ? { hmac_secret } : {}) } };
  }
  const { url, ...shown } = target;
  return { shown: { ...shown, url: maskUrl(url) }, secrets: { url } };
}

/** A target whole again, for sending. */
export function joinTarget(shown: Record<string, unknown>, secrets: TargetSecrets): Target {
  return { ...shown, ...secrets } as Target;
}

/** What the API shows: scheme and host of a URL (a webhook URL's path is its key), and whether a secret is set. */
export function viewTarget(shown: Record<string, unknown>, secrets: TargetSecrets): NotificationTargetView {
  const view = { ...shown } as NotificationTargetView;
  if (shown.type === "webhook") view.has_hmac_secret = secrets.hmac_secret !== undefined;
  if (shown.type === "email") view.has_password = secrets.password !== undefined;
  return view;
}

function maskUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}/...`;
}
