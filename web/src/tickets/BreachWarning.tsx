// The breach forecast in words: "E-014 will pass its target in ~12 min at the current pace", or once
// the target has gone by, "E-014 is past its target by 5 min". Between two answers from the server the
// minutes follow the screen's clock from the forecast's targetAt; the server's inMinutes (its clock,
// when it answered) wins where it says less, since a screen's clock ticks only every few seconds and
// may be older than the answer.
import { minutesSince } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

export interface Forecast {
  targetAt: string;
  /** Minutes until targetAt when the server answered, rounded up; 0 once past. */
  inMinutes: number;
}

/** Whether the forecast's target has already gone by: by the server's answer or by `now`. */
export function breachPast(forecast: Forecast, now: number): boolean {
  return forecast.inMinutes <= 0 || Date.parse(forecast.targetAt) <= now;
}

export function BreachWarning({ code, forecast, now, className = "" }: { code: string; forecast: Forecast; now: number; className?: string }) {
  const { t } = useTranslation();
  const past = breachPast(forecast, now);
  return (
    <span className={`font-semibold ${past ? "text-red-800" : "text-amber-900"} ${className}`}>
      <span aria-hidden="true">⚠ </span>
      {past
        ? t("tickets.breach.past", { code, count: minutesSince(forecast.targetAt, now) })
        : t("tickets.breach.soon", { code, count: minutesLeft(forecast, now) })}
    </span>
  );
}

/** Whole minutes until the target, rounded up as the server's inMinutes is (0 once past). */
export function minutesLeft(forecast: Forecast, now: number): number {
  return Math.max(0, Math.min(forecast.inMinutes, Math.ceil((Date.parse(forecast.targetAt) - now) / 60_000)));
}

/** Row colours: red once past the target, amber while a breach is forecast, none otherwise. */
export function breachRowClass(forecast: Forecast | null | undefined, now: number): string {
  if (!forecast) return "";
  return breachPast(forecast, now) ? "bg-red-50" : "bg-amber-50";
}
