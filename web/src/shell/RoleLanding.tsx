import { useSession } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";
import { Navigate } from "react-router";

import { landingPath } from "../app/roles";
import { Button } from "../ui/Button";
import { Loading } from "../ui/Spinner";

/** "/": the signed-in person's dashboard, or the sign-in page. */
export function RoleLanding() {
  const { t } = useTranslation();
  const { session, ready, signOut } = useSession();
  if (!ready) return <Loading />;
  if (!session) return <Navigate to="/login" replace />;
  const path = landingPath(session.user.role);
  if (path) return <Navigate to={path} replace />;
  return (
    <main className="mx-auto max-w-md p-8">
      <h1 className="mb-2 text-xl font-semibold">{t("shell.noDashboard.title")}</h1>
      <p className="mb-4 text-slate-700">{t("shell.noDashboard.body")}</p>
      <Button onClick={() => void signOut()}>{t("shell.signOut")}</Button>
    </main>
  );
}
