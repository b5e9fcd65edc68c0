// The staff layout: signs people in, checks the route's roles, and frames every staff page with the
// header (facility, navigation, language, account) and the connection banner.
import { useSession } from "@carequeue/graphql";
import { useQuery } from "@apollo/client/react";
import { useTranslation } from "react-i18next";
import { NavLink, Navigate, Outlet, useLocation, useMatches } from "react-router";

import { AppShellDocument } from "../generated/graphql";
import { FormatProvider } from "../i18n/useFormat";
import { STAFF_ROUTES, type StaffRouteHandle } from "../app/roles";
import { Button } from "../ui/Button";
import { Loading } from "../ui/Spinner";
import { ConnectionBanner } from "./ConnectionBanner";
import { LanguageSwitch } from "./LanguageSwitch";

function useRouteRoles() {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i--) {
    const handle = matches[i]?.handle as StaffRouteHandle | undefined;
    if (handle?.roles) return handle.roles;
  }
  return undefined;
}

export function Component() {
  const { t } = useTranslation();
  const location = useLocation();
  const { session, ready, signOut } = useSession();
  const roles = useRouteRoles();
  const { data } = useQuery(AppShellDocument, { skip: !session });

  if (!ready) return <Loading />;
  if (!session) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  const role = session.user.role;
  const allowed = !roles || roles.includes(role);
  const nav = STAFF_ROUTES.filter((r) => r.roles.includes(role));

  const facility = data?.me?.facility;
  return (
    <FormatProvider locale={facility?.locale} timeZone={facility?.timezone}>
      <div className="flex min-h-screen flex-col">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:m-2 focus:rounded focus:bg-white focus:p-2">
          {t("app.skipToContent")}
        </a>
        <header className="border-b border-slate-200 bg-white">
          <div className="flex flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2">
            <div className="flex items-baseline gap-2">
              <span className="text-lg font-bold text-teal-800">{t("app.name")}</span>
              {data?.me?.facility && <span className="text-sm text-slate-600">{data.me.facility.name}</span>}
            </div>
            <nav aria-label={t("shell.nav.label")} className="flex gap-1">
              {nav.map((r) => (
                <NavLink
                  key={r.path}
                  to={r.path}
                  className={({ isActive }) =>
                    `rounded-md px-3 py-1.5 text-sm font-medium ${isActive ? "bg-teal-100 text-teal-900" : "text-slate-700 hover:bg-slate-100"}`
                  }
                >
                  {t(`shell.nav.${r.nav}`)}
                </NavLink>
              ))}
            </nav>
            <div className="ml-auto flex items-center gap-3">
              <LanguageSwitch />
              <span className="text-sm text-slate-700">
                {t("shell.signedInAs", { name: session.user.name, role: t(`shell.role.${role}`) })}
              </span>
              <Button variant="secondary" size="sm" onClick={() => void signOut()}>
                {t("shell.signOut")}
              </Button>
            </div>
          </div>
          <ConnectionBanner />
        </header>
        <main id="main" tabIndex={-1} className="flex-1">
          {allowed ? (
            <Outlet />
          ) : (
            <div className="mx-auto max-w-lg p-8" role="alert">
              <h1 className="mb-2 text-xl font-semibold">{t("shell.notAllowed.title")}</h1>
              <p className="text-slate-700">{t("shell.notAllowed.body")}</p>
            </div>
          )}
        </main>
      </div>
    </FormatProvider>
  );
}
