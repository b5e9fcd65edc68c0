import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { usePageTitle } from "../../ui/usePageTitle";

export function Component() {
  const { t } = useTranslation();
  usePageTitle(t("notFound.title"));
  return (
    <main className="mx-auto max-w-lg p-8">
      <h1 className="mb-2 text-xl font-semibold">{t("notFound.title")}</h1>
      <p className="mb-4 text-slate-700">{t("notFound.body")}</p>
      <Link to="/" className="font-medium text-teal-800 underline">
        {t("notFound.home")}
      </Link>
    </main>
  );
}
