// The audit log's filters as an AuditEntryWhereInput.
import type { AuditEntryWhereInput } from "../../../generated/graphql";

export interface AuditFilters {
  /** Matches the start of the action ("ticket." → every ticket action). */
  action: string;
  /** Exact entity type ("Queue"). */
  entityType: string;
  /** An account id, "system" for the server's own actions, or "" for anyone. */
  actor: string;
  /** YYYY-MM-DD in the browser's time zone, inclusive; "" for open. */
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { action: "", entityType: "", actor: "", from: "", to: "" };

/** Local midnight of a YYYY-MM-DD day as an instant. */
function localMidnight(day: string, plusDays = 0): string | undefined {
  const [y, m, d] = day.split("-").map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, d + plusDays).toISOString();
}

export function auditWhere(f: AuditFilters): AuditEntryWhereInput {
  const w: AuditEntryWhereInput = {};
  const and: AuditEntryWhereInput[] = [];
  if (f.action.trim()) w.actionHasPrefix = f.action.trim();
  if (f.entityType.trim()) w.entityType = f.entityType.trim();
  if (f.actor === "system") and.push({ or: [{ actorIDIsNil: true }, { actorID: "" }] });
  else if (f.actor) w.actorID = f.actor;
  if (f.from) w.atGTE = localMidnight(f.from);
  if (f.to) w.atLT = localMidnight(f.to, 1);
  if (and.length) w.and = and;
  return w;
}
