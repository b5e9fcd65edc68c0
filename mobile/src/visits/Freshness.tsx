// "No connection. … Last updated 10:42": shown whenever the screen shows the device's copy.
import { useTranslation } from "react-i18next";

import { formatTime } from "../i18n";
import { Notice } from "../ui/kit";

export function Freshness({ staleSince }: { staleSince: string | null }) {
  const { t, i18n } = useTranslation();
  if (!staleSince) return null;
  return (
    <Notice kind="warning" testID="stale">
      {t("common.offline")} {t("common.lastUpdated", { time: formatTime(staleSince, i18n.language) })}
    </Notice>
  );
}
