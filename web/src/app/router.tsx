// The route table. Every page is its own chunk (route-level code splitting): a route module lives in
// src/routes/<name>/route.tsx and exports `Component` (and may export `ErrorBoundary`). Staff pages
// sit under the AppShell layout, which signs people in and checks `handle.roles`.
import { createBrowserRouter, type RouteObject } from "react-router";

import { RoleLanding } from "../shell/RoleLanding";
import { RouteError } from "../shell/RouteError";
import { Loading } from "../ui/Spinner";
import { rolesFor, type StaffRouteHandle } from "./roles";

const staff = (path: string): StaffRouteHandle => ({ roles: rolesFor(path) });

export const routes: RouteObject[] = [
  {
    path: "/",
    errorElement: <RouteError />,
    hydrateFallbackElement: <Loading />,
    children: [
      { index: true, element: <RoleLanding /> },
      { path: "login", lazy: () => import("../routes/login/route") },
      // Public pages: no sign-in, no shell.
      { path: "board/:departmentId", lazy: () => import("../routes/board/route") },
      { path: "t/:token", lazy: () => import("../routes/status/route") }, // the link in the SMS
      { path: "kiosk/*", lazy: () => import("../routes/kiosk/route") },
      {
        lazy: () => import("../shell/AppShell"),
        children: [
          { path: "reception", handle: staff("/reception"), lazy: () => import("../routes/reception/route") },
          { path: "clinician", handle: staff("/clinician"), lazy: () => import("../routes/clinician/route") },
          { path: "admin/*", handle: staff("/admin"), lazy: () => import("../routes/admin/route") },
        ],
      },
      { path: "*", lazy: () => import("../routes/notFound/route") },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
