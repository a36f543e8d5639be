import type { Kysely } from "kysely";

/**
 * Notification rules and their durable outbox (issue 15 part 2).
 * - `notification_rules`: what to match and where to send. The target's secret parts (webhook
 *   URL, HMAC secret, SMTP password) are sealed like Baton secrets (nonce, ciphertext, auth_tag,
 *   the rule's id as associated data); `target` holds the rest as JSON.
 * - `run_events`: the outbox. A watched state change (Failed, Crashed, Late, Cancelled,
 *   Completed) writes a row in the transaction that stores the state, so a committed state is
 *   never missed and a rolled-back one never sent. The dispatcher turns each into deliveries
 *   and deletes it, in one transaction.
 * - `notification_deliveries`: one message to one target, retried with backoff until delivered
 *   or out of attempts; `claimed_until` is the lease of the replica sending it (a replica that
 *   dies mid-send lets it go when the lease ends). Unique per (event, rule): an event processed
 *   twice makes no second delivery.
 * - `automations` and `automation_firings` (part 3): a trigger and its actions; a firing per
 *   (automation, event), unique, so two replicas seeing one event fire once; its actions are
 *   run under a lease like a delivery.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("notification_rules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("states", "text", (c) => c.notNull())
    .addColumn("match", "text", (c) => c.notNull())
    .addColumn("target_type", "text", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("ciphertext", "text", (c) => c.notNull())
    .addColumn("auth_tag", "text", (c) => c.notNull())
    .addColumn("title", "text")
    .addColumn("body", "text")
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("run_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("flow_run_id", "text", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("state_name", "text", (c) => c.notNull())
    .addColumn("message", "text")
    .addColumn("occurred", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("notification_deliveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("rule_id", "text")
    .addColumn("rule_name", "text", (c) => c.notNull())
    .addColumn("target_type", "text", (c) => c.notNull())
    .addColumn("flow_run_id", "text")
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text")
    .addColumn("claimed_until", "text")
    .addColumn("last_error", "text")
    .addColumn("delivered_at", "text")
    .addColumn("created", "text", (c) => c.notNull())
    .addUniqueConstraint("uq_notification_deliveries_event_rule", ["event_id", "rule_id"])
    .execute();
  await db.schema.createIndex("ix_notification_deliveries_due").on("notification_deliveries").columns(["status", "next_attempt_at"]).execute();
  await db.schema.createIndex("ix_notification_deliveries_created").on("notification_deliveries").columns(["created", "id"]).execute();
  await db.schema
    .createTable("automations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("trigger_type", "text", (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("actions", "text", (c) => c.notNull())
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("automation_firings")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("automation_id", "text", (c) => c.notNull())
    .addColumn("automation_name", "text", (c) => c.notNull())
    .addColumn("event_key", "text", (c) => c.notNull())
    .addColumn("flow_run_id", "text")
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("facts", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text")
    .addColumn("claimed_until", "text")
    .addColumn("last_error", "text")
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("done_at", "text")
    .addUniqueConstraint("uq_automation_firings_event", ["automation_id", "event_key"])
    .execute();
  await db.schema.createIndex("ix_automation_firings_due").on("automation_firings").columns(["status", "next_attempt_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("automation_firings").ifExists().execute();
  await db.schema.dropTable("automations").ifExists().execute();
  await db.schema.dropTable("notification_deliveries").ifExists().execute();
  await db.schema.dropTable("run_events").ifExists().execute();
  await db.schema.dropTable("notification_rules").ifExists().execute();
}
