// /login: email and password; afterwards the page the person came for, or their role's dashboard.
import { errorCode, useCareQueue, useSession, type SessionEnd } from "@carequeue/graphql";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useNavigate, useSearchParams } from "react-router";

import { landingPath } from "../../app/roles";
import { LanguageSwitch } from "../../shell/LanguageSwitch";
import { Button } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { TextField } from "../../ui/Field";
import { usePageTitle } from "../../ui/usePageTitle";

/** Why the last session ended, for the person: idle (with how long) or past its lifetime. */
function EndedNotice({ ended }: { ended: SessionEnd | null }) {
  const { t } = useTranslation();
  let text: string | null = null;
  const secs = ended?.idleTimeoutSeconds ?? 0;
  if (ended?.reason === "SESSION_IDLE") {
    text = secs > 0 && secs % 60 === 0 ? t("login.ended.idleMinutes", { count: secs / 60 }) : t("login.ended.idleSeconds", { count: secs });
  } else if (ended?.reason === "SESSION_EXPIRED") {
    text = t("login.ended.expired");
  }
  if (!text) return null;
  return (
    <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
      {text}
    </p>
  );
}

/** Only same-app paths: an open redirect would let a link send people elsewhere after signing in. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : null;
}

export function Component() {
  const { t } = useTranslation();
  usePageTitle(t("login.title"));
  const { session, ready, signIn } = useSession();
  const ended = useCareQueue().session.ended();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const next = safeNext(params.get("next"));
  if (ready && session && !busy) {
    return <Navigate to={next ?? landingPath(session.user.role) ?? "/"} replace />;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await signIn(email.trim(), password);
      navigate(next ?? landingPath(s.user.role) ?? "/", { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-between">
          <span className="text-2xl font-bold text-teal-800">{t("app.name")}</span>
          <LanguageSwitch />
        </div>
        <form onSubmit={submit} className="space-y-4 rounded-lg bg-white p-6 shadow ring-1 ring-slate-200" noValidate>
          <h1 className="text-xl font-semibold">{t("login.title")}</h1>
          <EndedNotice ended={ended} />
          <TextField
            label={t("login.email")}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <TextField
            label={t("login.password")}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          {error !== null &&
            (errorCode(error) === "UNAUTHENTICATED" ? (
              <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
                {t("login.wrongCredentials")}
              </p>
            ) : (
              <ErrorNotice error={error} />
            ))}
          <Button type="submit" busy={busy} className="w-full" disabled={!email || !password}>
            {busy ? t("login.submitting") : t("login.submit")}
          </Button>
        </form>
      </div>
    </main>
  );
}
