// "No connection. … Last updated 10:42": shown whenever the screen shows the device's copy, the time
// as the facility's clocks say it when the screen knows the facility.
import { useTranslation } from "react-i18next";

import { useFormat, type FacilityFormat } from "../i18n/format";
import { Notice } from "../ui/kit";

export function Freshness({ staleSince, facility }: { staleSince: string | null; facility?: FacilityFormat | null }) {
  const { t } = useTranslation();
  const format = useFormat(facility);
  if (!staleSince) return null;
  return (
    <Notice kind="warning" testID="stale">
      {t("common.offline")} {t("common.lastUpdated", { time: format.time(staleSince) })}
    </Notice>
  );
}
