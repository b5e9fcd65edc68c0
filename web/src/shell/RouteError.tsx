import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { isRouteErrorResponse, useRouteError } from "react-router";

import { reportError } from "../app/errorReports";
import { Button } from "../ui/Button";

/**
 * A page that threw, or a chunk that failed to load. After a deploy the old chunk names are gone, so
 * a reload (which fetches the new index.html) is the fix we offer.
 */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  useEffect(() => {
    if (!notFound) reportError(error); // a page that threw is a fault; an unknown address is not
  }, [error, notFound]);
  return (
    <main className="mx-auto max-w-lg p-8" role="alert">
      <h1 className="mb-2 text-xl font-semibold">{notFound ? t("notFound.title") : t("routeError.title")}</h1>
      <p className="mb-4 text-slate-700">{notFound ? t("notFound.body") : t("routeError.body")}</p>
      <Button onClick={() => location.reload()}>{t("routeError.reload")}</Button>
    </main>
  );
}
