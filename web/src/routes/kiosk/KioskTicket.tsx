// The ticket screen after a check-in: the code, big; the queue, the place and the wait range; and a QR code of
// the status page so the patient can follow the queue on their phone. No names.
import { getFragmentData, type FragmentType } from "@carequeue/graphql";
import { useTranslation } from "react-i18next";

import { KioskTicket_TicketFragmentDoc } from "../../generated/graphql";
import { PatientWait } from "../../ui/PatientWait";
import { BigButton } from "./BigButton";
import { QrCode } from "./QrCode";

/** The public status page of a ticket, on the server that served this page. */
export function statusLink(statusToken: string, origin: string = location.origin): string {
  return `${origin}/t/${encodeURIComponent(statusToken)}`;
}

export function KioskTicket({ ticket, secondsLeft, onDone }: { ticket: FragmentType<typeof KioskTicket_TicketFragmentDoc>; secondsLeft: number; onDone: () => void }) {
  const { t } = useTranslation();
  const tk = getFragmentData(KioskTicket_TicketFragmentDoc, ticket);
  return (
    <section aria-labelledby="kiosk-ticket-title" className="flex flex-col items-center gap-6 text-center">
      <h1 id="kiosk-ticket-title" className="text-4xl font-bold text-teal-800">
        {t("kiosk.ticket.title")}
      </h1>
      <div className="flex flex-wrap items-center justify-center gap-10">
        <div className="rounded-3xl bg-white px-10 py-8 shadow ring-1 ring-slate-200">
          <p className="text-xl text-slate-600">{t("kiosk.ticket.yourTicket")}</p>
          <p className="font-mono text-8xl font-bold tabular" data-testid="kiosk-ticket-code">
            {tk.code}
          </p>
          <p className="mt-3 text-2xl font-semibold">{t("kiosk.ticket.queue", { queue: tk.queueName })}</p>
          {tk.position != null && (
            <p className="mt-2 text-2xl">{tk.position === 1 ? t("kiosk.ticket.next") : t("kiosk.ticket.position", { position: tk.position })}</p>
          )}
          <PatientWait range={tk.estimatedWait} className="mt-1 text-xl text-slate-700" />
        </div>
        <figure className="flex max-w-64 flex-col items-center gap-3">
          <QrCode value={statusLink(tk.statusToken)} label={t("kiosk.ticket.qrLabel")} />
          <figcaption className="text-lg text-slate-700">{t("kiosk.ticket.scan")}</figcaption>
        </figure>
      </div>
      <p className="text-2xl">{t("kiosk.ticket.watchBoard")}</p>
      <BigButton onClick={onDone} className="min-w-64">
        {t("kiosk.ticket.done")}
      </BigButton>
      <p className="text-lg text-slate-600" aria-live="off">
        {t("kiosk.ticket.resetIn", { count: secondsLeft })}
      </p>
    </section>
  );
}
