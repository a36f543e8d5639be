import { z } from "zod";
import { IdSchema, PageQuerySchema, TimestampSchema, pageOf } from "./common.js";
import { ResourceNameSchema } from "../resource-name.js";
import { def } from "./route-def.js";
import { NotifyStateSchema, RunMatchSchema } from "../automations/run-match.js";

/**
 * Notification rules (issue 15 part 2): when a run of a matching flow, deployment, tag or pool
 * enters one of `states`, the server sends a message to the rule's target. Deliveries go through
 * a durable outbox: retried with backoff, recorded, sent by one replica.
 */
export { NOTIFY_STATES, NotifyStateSchema, RunMatchSchema, type NotifyState, type RunMatch } from "../automations/run-match.js";

const HttpUrl = z
  .string()
  .url("must be a URL such as https://hooks.example.com/baton")
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), "must start with http:// or https://");
const Email = z.string().email("must be an email address such as ops@example.com").max(320);

/** Where a message goes. `url`, `hmac_secret` and `password` are stored encrypted and never returned. */
export const NotificationTargetSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("webhook"), url: HttpUrl, hmac_secret: z.string().min(8, "must be at least 8 characters").max(500).optional() }).strict(),
  z.object({ type: z.literal("slack"), url: HttpUrl }).strict(),
  z.object({ type: z.literal("teams"), url: HttpUrl }).strict(),
  z
    .object({
      type: z.literal("email"),
      host: z.string().min(1).max(255),
      port: z.number().int().min(1).max(65535).default(587),
      /** true: TLS from the start (port 465); false: STARTTLS when the server offers it. */
      secure: z.boolean().default(false),
      username: z.string().min(1).max(320).optional(),
      password: z.string().min(1).max(1000).optional(),
      from: Email,
      to: z.array(Email).min(1, "give at least one address").max(50),
    })
    .strict(),
]);
export type NotificationTarget = z.input<typeof NotificationTargetSchema>;

/** A target as the API shows it: the secret parts masked. */
export const NotificationTargetViewSchema = z.object({
  type: z.enum(["webhook", "slack", "teams", "email"]),
  /** Scheme and host only (`https://hooks.slack.com/...`): the path of a webhook URL is its secret. */
  url: z.string().optional(),
  has_hmac_secret: z.boolean().optional(),
  host: z.string().optional(),
  port: z.number().optional(),
  secure: z.boolean().optional(),
  username: z.string().optional(),
  has_password: z.boolean().optional(),
  from: z.string().optional(),
  to: z.array(z.string()).optional(),
});
export type NotificationTargetView = z.infer<typeof NotificationTargetViewSchema>;


/** `{run_name}`, `{flow_name}`, `{deployment}`, `{state}`, `{message}`, `{url}`, `{run_id}`, `{pool}` are filled in. */
const Template = z.string().min(1).max(4000);

export const NotificationRuleCreateSchema = z
  .object({
    name: ResourceNameSchema,
    states: z.array(NotifyStateSchema).min(1, "give at least one of FAILED, CRASHED, LATE, CANCELLED, COMPLETED").max(5),
    match: RunMatchSchema.default({ flows: [], deployments: [], tags: [], work_pools: [] }),
    target: NotificationTargetSchema,
    /** The message's first line (the email subject); default: "Baton: flow run {run_name} is {state}". */
    title: Template.optional(),
    /** The message's text; default names the flow, deployment, state, message and link. */
    body: Template.optional(),
    enabled: z.boolean().default(true),
  })
  .strict();
export type NotificationRuleCreate = z.input<typeof NotificationRuleCreateSchema>;

export const NotificationRuleUpdateSchema = z
  .object({ enabled: z.boolean().optional(), states: NotificationRuleCreateSchema.shape.states.optional(), match: RunMatchSchema.optional(), title: Template.nullable().optional(), body: Template.nullable().optional() })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "give enabled, states, match, title or body", path: ["enabled"] });

export const NotificationRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  states: z.array(NotifyStateSchema),
  match: RunMatchSchema,
  target: NotificationTargetViewSchema,
  title: z.string().nullable(),
  body: z.string().nullable(),
  created: TimestampSchema,
  updated: TimestampSchema,
});
export type NotificationRule = z.infer<typeof NotificationRuleSchema>;

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export const NotificationDeliverySchema = z.object({
  id: z.string(),
  rule_id: z.string().nullable(),
  rule_name: z.string(),
  target_type: z.string(),
  flow_run_id: z.string().nullable(),
  /** The state that fired it (FAILED, LATE, ...; TEST for `baton notification test`). */
  event: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  next_attempt_at: TimestampSchema.nullable(),
  last_error: z.string().nullable(),
  delivered_at: TimestampSchema.nullable(),
  created: TimestampSchema,
});
export type NotificationDelivery = z.infer<typeof NotificationDeliverySchema>;

export const NotificationDeliveryListQuerySchema = PageQuerySchema.extend({
  rule: ResourceNameSchema.optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
  flow_run_id: IdSchema.optional(),
});

export const NotificationRuleParamsSchema = z.object({ name: ResourceNameSchema });

export const notificationRoutes = {
  createNotificationRule: def({ method: "POST", path: "/notification_rules", permission: "admin", summary: "Create a notification rule: runs entering these states send to a target", body: NotificationRuleCreateSchema, status: 201, response: NotificationRuleSchema }),
  listNotificationRules: def({ method: "GET", path: "/notification_rules", permission: "read", summary: "List notification rules (targets masked)", query: PageQuerySchema, status: 200, response: pageOf(NotificationRuleSchema) }),
  readNotificationRule: def({ method: "GET", path: "/notification_rules/:name", permission: "read", summary: "Read a notification rule (target masked)", params: NotificationRuleParamsSchema, status: 200, response: NotificationRuleSchema }),
  updateNotificationRule: def({ method: "PATCH", path: "/notification_rules/:name", permission: "admin", summary: "Enable, disable or change what a notification rule matches", params: NotificationRuleParamsSchema, body: NotificationRuleUpdateSchema, status: 200, response: NotificationRuleSchema }),
  deleteNotificationRule: def({ method: "DELETE", path: "/notification_rules/:name", permission: "admin", summary: "Delete a notification rule (its delivery log stays)", params: NotificationRuleParamsSchema, status: 204, response: z.null() }),
  testNotificationRule: def({ method: "POST", path: "/notification_rules/:name/test", permission: "admin", summary: "Queue a test message to the rule's target", params: NotificationRuleParamsSchema, status: 201, response: NotificationDeliverySchema }),
  listNotificationDeliveries: def({ method: "GET", path: "/notification_deliveries", permission: "read", summary: "The delivery log, newest first", query: NotificationDeliveryListQuerySchema, status: 200, response: pageOf(NotificationDeliverySchema) }),
} as const;
