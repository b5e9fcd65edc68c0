// The audit log's filters as an AuditEntryWhereInput.
import type { AuditEntryWhereInput } from "../../../generated/graphql";
import { dayStartIn } from "../../../i18n/format";

export interface AuditFilters {
  /** Matches the start of the action ("ticket." → every ticket action). */
  action: string;
  /** Exact entity type ("Queue"). */
  entityType: string;
  /** An account id, "system" for the server's own actions, or "" for anyone. */
  actor: string;
  /** YYYY-MM-DD in the facility's time zone (the one the list's times are in), inclusive; "" for open. */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { action: "", entityType: "", actor: "", from: "", to: "" };

/** The filters as a where input; days start at midnight in timeZone (the facility's; unknown: UTC). */
export function auditWhere(f: AuditFilters, timeZone?: string | null): AuditEntryWhereInput {
  const w: AuditEntryWhereInput = {};
  const and: AuditEntryWhereInput[] = [];
  if (f.action.trim()) w.actionHasPrefix = f.action.trim();
  if (f.entityType.trim()) w.entityType = f.entityType.trim();
  if (f.actor === "system") and.push({ or: [{ actorIDIsNil: true }, { actorID: "" }] });
  else if (f.actor) w.actorID = f.actor;
  if (f.from) w.atGTE = dayStartIn(f.from, timeZone);
  if (f.to) w.atLT = dayStartIn(f.to, timeZone, 1);
  if (and.length) w.and = and;
  return w;
}
