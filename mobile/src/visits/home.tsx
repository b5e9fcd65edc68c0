// The patient's open tickets: one query (PatientHome) for every screen, kept live by one subscription
// per open ticket (LiveTickets, mounted once in the root layout), and saved on the device so the app
// shows the last known state at once on start and while offline.
import {
  PatientHomeDocument,
  PatientTicketChangedDocument,
  PatientTicketLive_TicketFragmentDoc,
  PatientTicket_TicketFragmentDoc,
  errorCode,
  getFragmentData,
  nodes,
  useSession,
  type FragmentType,
  type PatientHomeQuery,
  type PatientTicketLive_TicketFragment,
  type PatientTicket_TicketFragment,
} from "@carequeue/graphql";
import { useQuery, useSubscription } from "@apollo/client/react";
import { router } from "expo-router";
import { useCallback, useEffect, useRef, useState } from "react";

import { homeCache } from "../storage/ticketCache";
import { isOpen } from "../wait";
import { alertCalled } from "./alert";

/** A ticket as screens read it: the full fragment with its live part unmasked. */
export type PatientTicket = Omit<PatientTicket_TicketFragment, " $fragmentRefs"> & PatientTicketLive_TicketFragment;

export function unmaskTicket(masked: FragmentType<typeof PatientTicket_TicketFragmentDoc>): PatientTicket {
  const t = getFragmentData(PatientTicket_TicketFragmentDoc, masked);
  return { ...t, ...getFragmentData(PatientTicketLive_TicketFragmentDoc, t) } as PatientTicket;
}

export interface Home {
  tickets: PatientTicket[];
  me: PatientHomeQuery["me"] | null;
  /** Set when what is shown comes from the device, not the server: when the server last confirmed it. */
  staleSince: string | null;
  loading: boolean;
  error: unknown;
  refetch(): void;
}

export function homeTickets(data: PatientHomeQuery | null | undefined): PatientTicket[] {
  return nodes(data?.tickets).map(unmaskTicket);
}

export function useHome(): Home {
  const { session } = useSession();
  const accountID = session?.user.id ?? null;
  const q = useQuery(PatientHomeDocument, { skip: !accountID, fetchPolicy: "cache-and-network", errorPolicy: "none" });
  const [cached, setCached] = useState<{ savedAt: string; value: PatientHomeQuery } | null>(null);

  useEffect(() => {
    if (!accountID) return;
    let live = true;
    void homeCache.load<PatientHomeQuery>(accountID).then((c) => live && setCached(c));
    return () => {
      live = false;
    };
  }, [accountID]);

  // Every fresh answer from the server (query or subscription update) is the new last known state.
  useEffect(() => {
    if (accountID && q.data && q.dataState === "complete") void homeCache.save(accountID, q.data);
  }, [accountID, q.data, q.dataState]);

  // Stable, so effects that depend on it (TicketWatcher) run once per change, not on every render.
  const { refetch: refetchQuery } = q;
  const refetch = useCallback(() => void refetchQuery().catch(() => undefined), [refetchQuery]);

  const fresh = q.dataState === "complete" ? q.data : undefined;
  const useCached = !fresh && !!cached;
  const data = fresh ?? cached?.value;
  return {
    tickets: homeTickets(data),
    me: data?.me ?? null,
    // Only once the server could not be asked: on start the saved copy shows while the answer is on its way.
    staleSince: useCached && !q.loading ? cached!.savedAt : null,
    loading: q.loading && !data,
    error: q.error,
    refetch,
  };
}

/** Subscribes to every open ticket and reacts to what matters: called → the full-screen alert. */
export function LiveTickets() {
  const { tickets, refetch } = useHome();
  const open = tickets.filter((t) => isOpen(t.status));
  return (
    <>
      {open.map((t) => (
        <TicketWatcher key={t.id} ticket={t} onEnded={refetch} />
      ))}
    </>
  );
}

function TicketWatcher({ ticket, onEnded }: { ticket: PatientTicket; onEnded(): void }) {
  const seen = useRef({ status: ticket.status, recalls: ticket.recallCount });
  const { error } = useSubscription(PatientTicketChangedDocument, {
    variables: { ticketID: ticket.id },
    onData: ({ data }) => {
      const masked = data.data?.ticketChanged.ticket;
      if (!masked) return;
      const live = getFragmentData(PatientTicketLive_TicketFragmentDoc, masked);
      const prev = seen.current;
      seen.current = { status: live.status, recalls: live.recallCount };
      const calledNow = live.status === "CALLED" && (prev.status !== "CALLED" || live.recallCount > prev.recalls);
      if (calledNow) {
        alertCalled();
        router.push(`/called/${ticket.id}`);
      }
      // Completed, cancelled, no-show or transferred: the list changes (a transfer brings a new ticket).
      if (!isOpen(live.status)) onEnded();
    },
  });
  // A ticket that is no longer ours or gone (FORBIDDEN / NOT_FOUND) leaves the list on the next read.
  const code = errorCode(error);
  useEffect(() => {
    if (code === "FORBIDDEN" || code === "NOT_FOUND") onEnded();
  }, [code, onEnded]);
  // A ticket already CALLED when the app opens shows its alert once.
  useEffect(() => {
    if (ticket.status === "CALLED") router.push(`/called/${ticket.id}`);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return null;
}
