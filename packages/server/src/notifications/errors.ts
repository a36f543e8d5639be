import { ConflictError, NotFoundError } from "@baton/core";

export class NotificationRuleNotFound extends NotFoundError {
  override readonly code = "NotificationRuleNotFound";
  constructor(name: string) {
    super(`NotificationRuleNotFound: no notification rule named "${name}"; list them with baton notification ls`);
  }
}

export class NotificationRuleExists extends ConflictError {
  override readonly code = "NotificationRuleExists";
  constructor(name: string) {
    super(`NotificationRuleExists: a notification rule named "${name}" exists already; delete it first with baton notification delete ${name}, or pick another name`);
  }
}
