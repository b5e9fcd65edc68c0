// The idle timer of staff sessions (src/app/idle.ts): a warning a minute before, then the sign-out,
// which empties the cache and the offline store (src/app/signOut.ts) and lands on the sign-in page
// with the reason. Sessions without an idle timeout (kiosks) have no timer.
import { useCareQueue, useNow, useSession } from "@carequeue/graphql";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { IdleTimer, pageActivity } from "../app/idle";
import { endSession } from "../app/signOut";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";

export function IdleLogoff() {
  const client = useCareQueue();
  const { session } = useSession();
  const idleSeconds = session?.idleTimeoutSeconds ?? null;
  const [deadline, setDeadline] = useState<number | null>(null);

  useEffect(() => {
    if (!idleSeconds) return;
    const loadedAt = Date.now(); // a session stored before refreshedAt existed
    const timer = new IdleTimer({
      idleMs: idleSeconds * 1000,
      lastRefresh: () => client.session.current()?.refreshedAt ?? loadedAt,
      refresh: () => void client.session.refresh().catch(() => undefined),
      onWarn: setDeadline,
      onActive: () => setDeadline(null),
      onIdle: () => {
        setDeadline(null);
        void endSession(client, "SESSION_IDLE");
      },
    });
    const stopTouch = pageActivity.subscribe(() => timer.activity());
    const stopSession = client.session.subscribe(() => timer.sessionChanged());
    // Timers of hidden tabs and sleeping computers run late: look at the clock when the page returns.
    const onVisible = () => timer.check();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      timer.stop();
      stopTouch();
      stopSession();
      document.removeEventListener("visibilitychange", onVisible);
      setDeadline(null);
    };
  }, [client, idleSeconds]);

  return deadline === null ? null : <IdleWarning deadline={deadline} onStay={() => void client.session.refresh()} />;
}

function IdleWarning({ deadline, onStay }: { deadline: number; onStay: () => void }) {
  const { t } = useTranslation();
  const now = useNow(1_000);
  const seconds = Math.max(0, Math.ceil((deadline - now) / 1000));
  return (
    <Dialog title={t("idle.title")} onClose={onStay}>
      <p role="alert" className="mb-4 text-slate-700">
        {t("idle.body", { count: seconds })}
      </p>
      <Button onClick={onStay} autoFocus>
        {t("idle.stay")}
      </Button>
    </Dialog>
  );
}
