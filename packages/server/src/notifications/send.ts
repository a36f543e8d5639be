import { createHmac } from "node:crypto";
import nodemailer from "nodemailer";
import type { Message } from "./message.js";
import type { Target } from "./targets.js";

/** The header a webhook receiver checks: `sha256=` and the HMAC-SHA256 of the raw body with the rule's secret, in hex. */
export const SIGNATURE_HEADER = "x-baton-signature";
/** The delivery's id: the same on every attempt, so a receiver can drop a repeat (delivery is at least once). */
export const DELIVERY_HEADER = "x-baton-delivery";

const SEND_TIMEOUT_MS = 15_000;

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Send one message to one target; resolves when the receiver accepted it, throws saying why it did not. */
export async function send(target: Target, message: Message, deliveryId: string): Promise<void> {
  switch (target.type) {
    case "webhook": {
      const body = JSON.stringify({ delivery_id: deliveryId, ...message });
      const headers: Record<string, string> = { "content-type": "application/json", [DELIVERY_HEADER]: deliveryId };
      if (target.hmac_secret) headers[SIGNATURE_HEADER] = signBody(target.hmac_secret, body);
      return post(target.url, body, headers);
    }
    case "slack":
      return post(target.url, JSON.stringify(slackBody(message)), { "content-type": "application/json" });
    case "teams":
      return post(target.url, JSON.stringify(teamsBody(message)), { "content-type": "application/json" });
    case "email":
      return sendEmail(target, message, deliveryId);
  }
}

/** Slack's incoming webhook: `text` (mrkdwn) with the link as `<url|label>`. */
export function slackBody(message: Message): { text: string } {
  const link = message.url ? `\n<${message.url}|Open the run in Baton>` : "";
  return { text: `*${escapeSlack(message.title)}*\n${escapeSlack(message.text)}${link}` };
}

const escapeSlack = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Microsoft Teams (a Workflows or incoming webhook): an Adaptive Card with the title, the text and a button to the run. */
export function teamsBody(message: Message): unknown {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            { type: "TextBlock", text: message.title, weight: "Bolder", size: "Medium", wrap: true },
            { type: "TextBlock", text: message.text, wrap: true },
          ],
          actions: message.url ? [{ type: "Action.OpenUrl", title: "Open the run in Baton", url: message.url }] : [],
        },
      },
    ],
  };
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", body, headers: { "user-agent": "Baton-Notifications", ...headers }, signal: AbortSignal.timeout(SEND_TIMEOUT_MS), redirect: "error" });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`POST ${new URL(url).host} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  if (response.ok) {
    await response.body?.cancel();
    return;
  }
  const text = (await response.text().catch(() => "")).slice(0, 300);
  throw new Error(`POST ${new URL(url).host} answered ${response.status}${text ? `: ${text}` : ""}`);
}

async function sendEmail(target: Extract<Target, { type: "email" }>, message: Message, deliveryId: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure,
    ...(target.username ? { auth: { user: target.username, pass: target.password ?? "" } } : {}),
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  try {
    await transport.sendMail({
      from: target.from,
      to: target.to,
      subject: message.title,
      text: message.text,
      headers: { "X-Baton-Delivery": deliveryId },
    });
  } catch (error) {
    throw new Error(`SMTP ${target.host}:${target.port} refused the message: ${(error as Error).message}`);
  } finally {
    transport.close();
  }
}
