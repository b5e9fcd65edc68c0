// Runs the kiosk's state machine (machine.ts) in React: holds the state, checks the phone number when
// the phone step asks (answering "phoneChecked"), and sends the check-in when an attempt starts,
// answering the machine with "succeeded" or "failed". The only I/O of the flow.
import { errorCode, type FragmentType } from "@carequeue/graphql";
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { useCallback, useEffect, useRef, useState } from "react";

import type { KioskCheckInInput, KioskTicket_TicketFragmentDoc } from "../../generated/graphql";
import { initialKioskState, kioskReducer, type DobField, type KioskEvent, type KioskState } from "./machine";
import type { PhoneCheck } from "./useValidatePhone";

export type KioskTicketRef = FragmentType<typeof KioskTicket_TicketFragmentDoc>;
export type KioskFlowState = KioskState<KioskTicketRef>;
export type KioskFlowEvent = KioskEvent<KioskTicketRef>;

/** The input field the server blamed (extensions.field, e.g. "input.phone") and what it said. */
function blamed(error: unknown): { field?: string; message?: string } {
  if (!CombinedGraphQLErrors.is(error)) return {};
  const first = error.errors[0];
  const field = first?.extensions?.field;
  return typeof field === "string" ? { field, message: first?.message } : {};
}

export function useKioskMachine(
  checkIn: (input: KioskCheckInInput) => Promise<KioskTicketRef>,
  validatePhone: (phone: string) => Promise<PhoneCheck>,
  dobOrder: readonly DobField[],
) {
  const [state, setState] = useState<KioskFlowState>(() => initialKioskState(dobOrder));
  const current = useRef(state);
  const run = useRef(checkIn);
  const check = useRef(validatePhone);
  useEffect(() => {
    run.current = checkIn;
    check.current = validatePhone;
  });

  const dispatch = useCallback((event: KioskFlowEvent) => {
    const before = current.current;
    const after = kioskReducer(before, event);
    if (after === before) return;
    current.current = after;
    setState(after);
    if (after.checkingPhone && !before.checkingPhone) {
      const phone = after.phone;
      void check.current(phone).then(({ verdict, message }) => dispatch({ type: "phoneChecked", phone, verdict, message }));
    }
    if (!after.submitting || before.submitting || !after.attempt) return;
    const { input, key } = after.attempt;
    run.current({ ...input, idempotencyKey: key }).then(
      (ticket) => dispatch({ type: "succeeded", key, ticket }),
      (error: unknown) => dispatch({ type: "failed", key, code: errorCode(error), ...blamed(error) }),
    );
  }, []);

  // The facility's locale may arrive after the first screen: its order from then on.
  const order = dobOrder.join();
  useEffect(() => {
    dispatch({ type: "dobOrder", order: order.split(",") as DobField[] });
  }, [dispatch, order]);

  return [state, dispatch] as const;
}
