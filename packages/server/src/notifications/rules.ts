import { uuidv7, type NotificationRule, type NotificationRuleCreateSchema, type NotificationRuleUpdateSchema, type NotifyState, type Page, type RunMatch } from "@baton/core";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type { BatonDatabase } from "../db/open.js";
import { decodeCursor, pageFrom } from "../db/pagination.js";
import { fromJson, toJson } from "../db/rows.js";
import type { Database, NotificationRuleTable } from "../db/schema.js";
import { watchersChanged } from "../run-events/record.js";
import { open, seal } from "../secrets/cipher.js";
import { NotificationRuleExists, NotificationRuleNotFound } from "./errors.js";
import { joinTarget, splitTarget, viewTarget, type Target, type TargetSecrets } from "./targets.js";

type RuleCreate = z.output<typeof NotificationRuleCreateSchema>;
type RuleUpdate = z.output<typeof NotificationRuleUpdateSchema>;

/** A rule as the dispatcher uses it: its target whole (secrets opened). */
export interface LoadedRule {
  id: string;
  name: string;
  states: NotifyState[];
  match: RunMatch;
  target: Target;
  title: string | null;
  body: string | null;
}

/** The associated data of a rule's sealed secrets: a ciphertext copied onto another rule does not open. */
const sealName = (id: string) => `notification_rule:${id}`;

function secretsOf(key: Buffer, row: NotificationRuleTable): TargetSecrets {
  return fromJson<TargetSecrets>(open(key, sealName(row.id), row));
}

/** The API's view: no secret leaves, so it needs no key. */
function toRule(row: NotificationRuleTable, secrets: TargetSecrets): NotificationRule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled === 1,
    states: fromJson<NotifyState[]>(row.states),
    match: fromJson<RunMatch>(row.match),
    target: viewTarget(fromJson(row.target), secrets),
    title: row.title,
    body: row.body,
    created: row.created,
    updated: row.updated,
  };
}

/** Which secrets are set, without opening them: recorded in the shown part at write time. */
function setSecrets(row: NotificationRuleTable): TargetSecrets {
  const flags = fromJson<{ secrets_set?: (keyof TargetSecrets)[] }>(row.target).secrets_set ?? [];
  return Object.fromEntries(flags.map((k) => [k, "set"]));
}

const view = (row: NotificationRuleTable) => {
  const rule = toRule(row, setSecrets(row));
  delete (rule.target as Record<string, unknown>).secrets_set;
  return rule;
};

export async function createRule(database: BatonDatabase, key: Buffer, input: RuleCreate, now: Date): Promise<NotificationRule> {
  const id = uuidv7(now.getTime());
  const { shown, secrets } = splitTarget(input.target);
  const stamp = now.toISOString();
  const row: NotificationRuleTable = {
    id,
    name: input.name,
    enabled: input.enabled ? 1 : 0,
    states: toJson([...new Set(input.states)]),
    match: toJson(input.match),
    target_type: input.target.type,
    target: toJson({ ...shown, secrets_set: Object.keys(secrets) }),
    ...seal(key, sealName(id), toJson(secrets)),
    title: input.title ?? null,
    body: input.body ?? null,
    created: stamp,
    updated: stamp,
  };
  const inserted = await database.db.insertInto("notification_rules").values(row).onConflict((oc) => oc.column("name").doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) throw new NotificationRuleExists(input.name);
  watchersChanged(database);
  return view(row);
}

export async function listRules(db: Kysely<Database>, query: { limit: number; cursor?: string | undefined }): Promise<Page<NotificationRule>> {
  let q = db.selectFrom("notification_rules").selectAll();
  if (query.cursor) q = q.where("name", ">", decodeCursor(query.cursor, 1)[0]!);
  const rows = await q.orderBy("name", "asc").limit(query.limit + 1).execute();
  return pageFrom(rows, query.limit, view, (r) => [r.name]);
}

async function ruleRow(db: Kysely<Database>, name: string): Promise<NotificationRuleTable> {
  const row = await db.selectFrom("notification_rules").selectAll().where("name", "=", name).executeTakeFirst();
  if (!row) throw new NotificationRuleNotFound(name);
  return row;
}

export async function readRule(db: Kysely<Database>, name: string): Promise<NotificationRule> {
  return view(await ruleRow(db, name));
}

export async function updateRule(database: BatonDatabase, name: string, input: RuleUpdate, now: Date): Promise<NotificationRule> {
  const changes = {
    ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
    ...(input.states !== undefined ? { states: toJson([...new Set(input.states)]) } : {}),
    ...(input.match !== undefined ? { match: toJson(input.match) } : {}),
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    updated: now.toISOString(),
  };
  const row = await database.db.updateTable("notification_rules").set(changes).where("name", "=", name).returningAll().executeTakeFirst();
  if (!row) throw new NotificationRuleNotFound(name);
  watchersChanged(database);
  return view(row);
}

export async function deleteRule(database: BatonDatabase, name: string): Promise<void> {
  const result = await database.db.deleteFrom("notification_rules").where("name", "=", name).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new NotificationRuleNotFound(name);
  watchersChanged(database);
}

function loaded(key: Buffer, row: NotificationRuleTable): LoadedRule {
  const { secrets_set: _, ...shown } = fromJson<Record<string, unknown>>(row.target);
  return { id: row.id, name: row.name, states: fromJson(row.states), match: fromJson(row.match), target: joinTarget(shown, secretsOf(key, row)), title: row.title, body: row.body };
}

/** The enabled rules, secrets opened, for matching events. */
export async function enabledRules(db: Kysely<Database>, key: Buffer): Promise<LoadedRule[]> {
  const rows = await db.selectFrom("notification_rules").selectAll().where("enabled", "=", 1).execute();
  return rows.map((row) => loaded(key, row));
}

/** One rule by id or name, secrets opened (for sending), or undefined when it is gone. */
export async function loadRule(db: Kysely<Database>, key: Buffer, by: { id: string } | { name: string }): Promise<LoadedRule | undefined> {
  const q = db.selectFrom("notification_rules").selectAll();
  const row = await ("id" in by ? q.where("id", "=", by.id) : q.where("name", "=", by.name)).executeTakeFirst();
  if (!row && "name" in by) throw new NotificationRuleNotFound(by.name);
  return row ? loaded(key, row) : undefined;
}
