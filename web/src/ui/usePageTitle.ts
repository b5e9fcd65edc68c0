import { useEffect } from "react";
import { useTranslation } from "react-i18next";

/** Sets the tab title to "<title> · CareQueue" while the page is shown. */
export function usePageTitle(title: string): void {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t("app.name")}`;
  }, [title, t]);
}
