// Patient records as hooks (see hooks/tickets.ts for the conventions).
import { useMutation } from "@apollo/client/react";
import { useCallback } from "react";

import { getFragmentData } from "../generated/fragment-masking";
import {
  PatientAction_PatientFragmentDoc,
  RegisterPatientDocument,
  type CreatePatientInput,
  type PatientAction_PatientFragment,
} from "../generated/graphql";

/**
 * Registers a patient (reception); the server trims the names and stores the phone in E.164. Rejects
 * with BAD_USER_INPUT for a bad phone or a blank name, CONFLICT for an MRN already taken.
 */
export function useRegisterPatient() {
  const [mutate, state] = useMutation(RegisterPatientDocument);
  const register = useCallback(
    async (input: CreatePatientInput): Promise<PatientAction_PatientFragment> => {
      const { data } = await mutate({ variables: { input } });
      if (!data) throw new Error("createPatient returned no patient");
      return getFragmentData(PatientAction_PatientFragmentDoc, data.createPatient);
    },
    [mutate],
  );
  return [register, state] as const;
}
