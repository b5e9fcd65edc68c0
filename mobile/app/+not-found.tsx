import { Link, Stack } from "expo-router";
import { useTranslation } from "react-i18next";

import { Notice, Screen } from "../src/ui/kit";

export default function NotFound() {
  const { t } = useTranslation();
  return (
    <Screen>
      <Stack.Screen options={{ title: t("ticket.notFound") }} />
      <Notice>{t("follow.invalid")}</Notice>
      <Link href="/" accessibilityRole="link">
        {t("common.back")}
      </Link>
    </Screen>
  );
}
