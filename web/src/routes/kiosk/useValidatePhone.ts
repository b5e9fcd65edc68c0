// The kiosk's phone step asks the server whether the number is valid for this facility: one rule, on
// the server (validatePhone), the same one kioskCheckIn applies. Never cached: a kiosk keeps nothing of
// the previous patient.
import { errorCode } from "@carequeue/graphql";
import { useApolloClient } from "@apollo/client/react";
import { useCallback } from "react";

import { ValidatePhoneDocument } from "../../generated/graphql";
import { fieldErrors } from "../../ui/fieldErrors";

/** "valid", "invalid" (BAD_USER_INPUT), or "unknown" (no answer: the check-in will check it again). */
export type PhoneVerdict = "valid" | "invalid" | "unknown";

/** The verdict, and for "invalid" the server's words about the number. */
export interface PhoneCheck {
  verdict: PhoneVerdict;
  message?: string;
}

export function useValidatePhone(): (phone: string) => Promise<PhoneCheck> {
  const client = useApolloClient();
  return useCallback(
    async (phone: string) => {
      try {
        const { data } = await client.query({ query: ValidatePhoneDocument, variables: { phone }, fetchPolicy: "no-cache" });
        return { verdict: data?.validatePhone ? "valid" : "unknown" };
      } catch (error: unknown) {
        if (errorCode(error) !== "BAD_USER_INPUT") return { verdict: "unknown" };
        return { verdict: "invalid", message: Object.values(fieldErrors(error))[0] };
      }
    },
    [client],
  );
}
