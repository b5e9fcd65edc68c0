// Self check-in at a kiosk. Kiosk-only (the patient app checks in with useCheckIn), so it lives beside
// the kiosk rather than in @carequeue/graphql's shared hooks; it follows their conventions (resolve with
// the masked ticket, reject with the server's error, an idempotency key per attempt) but never goes
// through the offline queue: a patient at the kiosk needs the ticket now, or to be sent to reception.
// The result is never written to the cache: a kiosk must keep nothing of the previous patient once its
// screen resets.
import { newIdempotencyKey, type FragmentType } from "@carequeue/graphql";
import { useMutation } from "@apollo/client/react";
import { useCallback } from "react";

import { KioskCheckInDocument, type KioskCheckInInput, type KioskTicket_TicketFragmentDoc } from "../../generated/graphql";

/**
 * Checks the patient at a kiosk in, by appointment reference or by phone and date of birth (with the
 * queue chosen on the kiosk). Resolves with the ticket (masked as KioskTicket_ticket); rejects with
 * NOT_FOUND (nobody, or more than one record: see reception), RATE_LIMITED, BAD_USER_INPUT or CONFLICT.
 * Pass the same idempotencyKey when retrying the same attempt. `reset` forgets the last result.
 */
export function useKioskCheckIn() {
  const [mutate, state] = useMutation(KioskCheckInDocument, { fetchPolicy: "no-cache" });
  const checkIn = useCallback(
    async (input: KioskCheckInInput): Promise<FragmentType<typeof KioskTicket_TicketFragmentDoc>> => {
      const idempotencyKey = input.idempotencyKey ?? newIdempotencyKey();
      const { data } = await mutate({ variables: { input: { ...input, idempotencyKey } } });
      if (!data) throw new Error("kioskCheckIn returned no ticket");
      return data.kioskCheckIn;
    },
    [mutate],
  );
  return [checkIn, { loading: state.loading, error: state.error, reset: state.reset }] as const;
}
