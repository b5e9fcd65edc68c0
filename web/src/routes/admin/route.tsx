// /admin/*: the administration area. A side navigation and one lazily loaded screen per sub-route,
// so opening the admin area loads only its frame and the screen asked for:
//   analytics · facilities · departments · queues · service-points · staff · devices · audit ·
//   notifications · tools · api-clients · webhooks (and webhooks/:id, an endpoint's delivery log)
// Every string comes from the "admin" i18n namespace (locales/admin/<language>.json).
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, NavLink, useRoutes, type RouteObject } from "react-router";

import { Loading } from "../../ui/Spinner";

const AnalyticsPage = lazy(() => import("./analytics/AnalyticsPage"));
const FacilitiesPage = lazy(() => import("./reference/FacilitiesPage"));
const DepartmentsPage = lazy(() => import("./reference/DepartmentsPage"));
const QueuesPage = lazy(() => import("./reference/QueuesPage"));
const ServicePointsPage = lazy(() => import("./reference/ServicePointsPage"));
const StaffPage = lazy(() => import("./staff/StaffPage"));
const DevicesPage = lazy(() => import("./staff/DevicesPage"));
const AuditPage = lazy(() => import("./logs/AuditPage"));
const NotificationsPage = lazy(() => import("./logs/NotificationsPage"));
const ToolsPage = lazy(() => import("./tools/ToolsPage"));
const ApiClientsPage = lazy(() => import("./integrations/ApiClientsPage"));
const WebhooksPage = lazy(() => import("./integrations/WebhooksPage"));
const WebhookDeliveriesPage = lazy(() => import("./integrations/WebhookDeliveriesPage"));

type Section =
  | "analytics"
  | "facilities"
  | "departments"
  | "queues"
  | "servicePoints"
  | "staff"
  | "devices"
  | "apiClients"
  | "webhooks"
  | "audit"
  | "notifications"
  | "tools";

const GROUPS: readonly { group: "reports" | "setup" | "integrations" | "logs"; items: readonly { path: string; key: Section }[] }[] = [
  { group: "reports", items: [{ path: "analytics", key: "analytics" }] },
  {
    group: "setup",
    items: [
      { path: "facilities", key: "facilities" },
      { path: "departments", key: "departments" },
      { path: "queues", key: "queues" },
      { path: "service-points", key: "servicePoints" },
      { path: "staff", key: "staff" },
      { path: "devices", key: "devices" },
    ],
  },
  {
    group: "integrations",
    items: [
      { path: "api-clients", key: "apiClients" },
      { path: "webhooks", key: "webhooks" },
    ],
  },
  {
    group: "logs",
    items: [
      { path: "audit", key: "audit" },
      { path: "notifications", key: "notifications" },
      { path: "tools", key: "tools" },
    ],
  },
];

// Plain route objects (useRoutes) rather than <Routes> children: the router already ships useRoutes,
// while <Routes> would add its JSX-to-objects code to the initial bundle.
const SCREENS: RouteObject[] = [
  { index: true, element: <Navigate to="/admin/analytics" replace /> },
  { path: "analytics", element: <AnalyticsPage /> },
  { path: "facilities", element: <FacilitiesPage /> },
  { path: "departments", element: <DepartmentsPage /> },
  { path: "queues", element: <QueuesPage /> },
  { path: "service-points", element: <ServicePointsPage /> },
  { path: "staff", element: <StaffPage /> },
  { path: "devices", element: <DevicesPage /> },
  { path: "audit", element: <AuditPage /> },
  { path: "notifications", element: <NotificationsPage /> },
  { path: "tools", element: <ToolsPage /> },
  { path: "api-clients", element: <ApiClientsPage /> },
  { path: "webhooks", element: <WebhooksPage /> },
  { path: "webhooks/:id", element: <WebhookDeliveriesPage /> },
  { path: "*", element: <NotFound /> },
];

export function Component() {
  // The first render waits for the "admin" strings: wait here, inside the staff layout, rather than
  // blanking the whole page at the root boundary.
  return (
    <Suspense fallback={<Loading />}>
      <AdminArea />
    </Suspense>
  );
}

function AdminArea() {
  const { t } = useTranslation("admin");
  return (
    // The menu is a side column only from 1280 px: at 1024 px (a ward PC) it sits above the page and
    // wraps, so the tables get the whole width (screens.e2e.ts checks every page at 1024 px).
    <div className="flex flex-col xl:flex-row">
      <nav aria-label={t("nav.label")} className="shrink-0 border-b border-slate-200 bg-white xl:min-h-[calc(100vh-4rem)] xl:w-56 xl:border-r xl:border-b-0">
        <div className="flex flex-wrap gap-x-6 gap-y-2 p-3 xl:flex-col xl:flex-nowrap xl:gap-3">
          {GROUPS.map((g) => (
            <div key={g.group}>
              <h2 className="px-2 pb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">{t(`nav.groups.${g.group}`)}</h2>
              <ul className="flex flex-wrap gap-1 xl:flex-col">
                {g.items.map((item) => (
                  <li key={item.path}>
                    <NavLink
                      to={`/admin/${item.path}`}
                      className={({ isActive }) =>
                        `block rounded-md px-2 py-1.5 text-sm font-medium whitespace-nowrap ${isActive ? "bg-teal-100 text-teal-900" : "text-slate-800 hover:bg-slate-100"}`
                      }
                    >
                      {t(`nav.${item.key}`)}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </nav>
      <div className="min-w-0 flex-1 p-4 xl:p-6">
        <Suspense fallback={<Loading />}>{useRoutes(SCREENS)}</Suspense>
      </div>
    </div>
  );
}

function NotFound() {
  const { t } = useTranslation("admin");
  return (
    <div role="alert" className="max-w-lg">
      <h1 className="mb-2 text-xl font-semibold">{t("notFound.title")}</h1>
      <p className="text-slate-700">{t("notFound.body")}</p>
    </div>
  );
}
