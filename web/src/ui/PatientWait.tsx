// A patient's wait in words: the range ("About 40–70 minutes to wait."), "about to be called" for
// 0–0, and "not enough data yet" rather than a made-up number. The status page and the kiosk ticket
// show it; staff screens show the median as well, elsewhere.
import { patientWait } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

export function PatientWait({ range, className }: { range: { lowMinutes: number; highMinutes: number } | null | undefined; className?: string }) {
  const { t } = useTranslation();
  const w = patientWait(range);
  let text: string;
  switch (w.kind) {
    case "unknown":
      text = t("wait.unknown");
      break;
    case "soon":
      text = t("wait.soon");
      break;
    case "about":
      text = t("wait.about", { count: w.minutes });
      break;
    case "range":
      text = t("wait.range", { low: w.low, high: w.high });
      break;
  }
  return (
    <p className={className} data-testid="patient-wait" data-wait={w.kind}>
      {text}
    </p>
  );
}
