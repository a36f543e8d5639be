/** The tables of notifications and automations (migration 0016), beside schema.ts to keep it short. */

/** 0016: a notification rule; the target's secret parts sealed (see secrets/cipher.ts). */
export interface NotificationRuleTable {
  id: string;
  name: string;
  enabled: number;
  /** JSON array of NotifyState. */
  states: string;
  /** JSON RunMatch. */
  match: string;
  target_type: string;
  /** JSON: the target without its secret parts. */
  target: string;
  nonce: string;
  ciphertext: string;
  auth_tag: string;
  title: string | null;
  body: string | null;
  created: string;
  updated: string;
}

/** 0016: the outbox: a watched state change, written with the state, until turned into deliveries. */
export interface RunEventTable {
  id: string;
  flow_run_id: string;
  /** FAILED, CRASHED, LATE, CANCELLED or COMPLETED. */
  event: string;
  state_name: string;
  message: string | null;
  occurred: string;
}

/** 0016: one message to one target. */
export interface NotificationDeliveryTable {
  id: string;
  event_id: string;
  rule_id: string | null;
  rule_name: string;
  target_type: string;
  flow_run_id: string | null;
  event: string;
  /** JSON: what the message says (rendered when the event was processed). */
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  claimed_until: string | null;
  last_error: string | null;
  delivered_at: string | null;
  created: string;
}

/** 0016: an automation (issue 15 part 3). */
export interface AutomationTable {
  id: string;
  name: string;
  enabled: number;
  /** The trigger's type: each evaluator reads only its own. */
  trigger_type: string;
  /** JSON AutomationTrigger. */
  trigger: string;
  /** JSON AutomationAction[]. */
  actions: string;
  /** 0019: the deployment whose `triggers:` made it; null for one made by hand. */
  deployment_id: string | null;
  created: string;
  updated: string;
  /** 0022: JSON, how far a not_in_state_within trigger has read the state history (see not-in-state-trigger.ts). */
  trigger_cursor?: string | null;
}

/** 0016: one firing of an automation for one event; unique per (automation, event_key). */
export interface AutomationFiringTable {
  id: string;
  automation_id: string;
  automation_name: string;
  event_key: string;
  flow_run_id: string | null;
  event: string;
  /** JSON MessageFacts of the triggering run and state. */
  facts: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  claimed_until: string | null;
  last_error: string | null;
  created: string;
  done_at: string | null;
}
