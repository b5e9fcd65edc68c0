// What is new on the needs-attention list since the last answer: the first answer after opening the
// screen announces nothing (everything would be "new"); later, a ticket that enters the list for a
// reason it was not listed for before is new.
import { useEffect, useRef, useState } from "react";

import type { AttentionReason } from "../generated/graphql";
import { playAlert } from "./sound";

export interface Listed {
  reason: AttentionReason;
  ticketID: string;
  code: string;
}

const key = (i: Listed) => `${i.reason}:${i.ticketID}`;

/** The items of `items` absent from `previous` (keys from an earlier call); none when previous is null. */
export function newlyListed(previous: ReadonlySet<string> | null, items: readonly Listed[]): Listed[] {
  if (!previous) return [];
  return items.filter((i) => !previous.has(key(i)));
}

/** Reasons that sound when new: past the maximum wait, and a ticket entering the breach forecast. */
const SOUNDING: readonly AttentionReason[] = ["PAST_MAX_WAIT", "BREACH_PREDICTED"];

/**
 * Watches the list: returns the codes of tickets that newly passed the maximum wait (for a banner,
 * until dismissed) and plays the chime, when `sound` is on, for each answer that brings a new
 * PAST_MAX_WAIT or BREACH_PREDICTED item. `items` undefined means "not loaded yet".
 */
export function useAttentionAlerts(items: readonly Listed[] | undefined, sound: boolean) {
  const seen = useRef<Set<string> | null>(null);
  const [escalated, setEscalated] = useState<string[]>([]);
  useEffect(() => {
    if (!items) return;
    const fresh = newlyListed(seen.current, items);
    seen.current = new Set(items.map(key));
    const overdue = fresh.filter((i) => i.reason === "PAST_MAX_WAIT").map((i) => i.code);
    if (overdue.length) setEscalated((codes) => [...new Set([...codes, ...overdue])]);
    if (sound && fresh.some((i) => SOUNDING.includes(i.reason))) playAlert();
  }, [items, sound]);
  return { escalated, dismiss: () => setEscalated([]) };
}
