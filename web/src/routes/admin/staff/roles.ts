import type { Role } from "@carequeue/graphql";

/** The roles an admin gives accounts here (patients sign up through the patient app). */
export const ACCOUNT_ROLES: readonly Role[] = ["ADMIN", "RECEPTIONIST", "CLINICIAN", "KIOSK", "INTEGRATION"];
