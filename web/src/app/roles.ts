import type { Role } from "@carequeue/graphql";

/** Where each role lands after signing in; roles without a dashboard land nowhere. */
export function landingPath(role: Role): string | null {
  switch (role) {
    case "ADMIN":
      return "/admin";
    case "RECEPTIONIST":
      return "/reception";
    case "CLINICIAN":
      return "/clinician";
    case "KIOSK":
      return "/kiosk";
    default:
      return null;
  }
}

/** What a staff route declares in its `handle`: who may open it. */
export interface StaffRouteHandle {
  roles: readonly Role[];
  /** The nav label key (shell.nav.*) when the route appears in the navigation. */
  nav?: "reception" | "clinician" | "admin";
}

/** The staff screens, in navigation order, with the roles that may open them. */
export const STAFF_ROUTES: readonly (StaffRouteHandle & { path: string; nav: NonNullable<StaffRouteHandle["nav"]> })[] = [
  { path: "/reception", nav: "reception", roles: ["RECEPTIONIST", "ADMIN"] },
  { path: "/clinician", nav: "clinician", roles: ["CLINICIAN", "ADMIN"] },
  { path: "/admin", nav: "admin", roles: ["ADMIN"] },
];

export function rolesFor(path: string): readonly Role[] {
  return STAFF_ROUTES.find((r) => r.path === path)?.roles ?? [];
}
