// The kiosk's phone step asks the server whether the number is valid for this facility: one rule, on
// the server (validatePhone), the same one kioskCheckIn applies. Never cached: a kiosk keeps nothing of
// the previous patient.
import { errorCode } from "@carequeue/graphql";
import { useApolloClient } from "@apollo/client/react";
import { useCallback } from "react";

import { ValidatePhoneDocument } from "../../generated/graphql";

/** "valid", "invalid" (BAD_USER_INPUT), or "unknown" (no answer: the check-in will check it again). */
export type PhoneVerdict = "valid" | "invalid" | "unknown";

export function useValidatePhone(): (phone: string) => Promise<PhoneVerdict> {
  const client = useApolloClient();
  return useCallback(
    async (phone: string) => {
      try {
        const { data } = await client.query({ query: ValidatePhoneDocument, variables: { phone }, fetchPolicy: "no-cache" });
        return data?.validatePhone ? "valid" : "unknown";
      } catch (error: unknown) {
        return errorCode(error) === "BAD_USER_INPUT" ? "invalid" : "unknown";
      }
    },
    [client],
  );
}
