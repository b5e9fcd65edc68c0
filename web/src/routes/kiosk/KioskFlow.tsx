// The self check-in flow on the lobby touch screen:
//
//   start ─┬─ "I have an appointment" ─▶ reference ───────────────────────┬─▶ ticket (code, QR) ─▶ start
//          └─ "no reference" ─▶ phone ─▶ date of birth ─▶ queue choice ───┘     └─ problem ─▶ start
//
// Every attempt carries an idempotency key (kept while the patient retries the same details). After
// KIOSK_IDLE_MS without a touch the screen starts over and forgets everything it was told, and the
// language goes back to the kiosk's own.
import {
  errorCode,
  newIdempotencyKey,
  useKioskCheckIn,
  type FragmentType,
  type KioskQueueChoice_QueueFragmentDoc,
  type KioskTicket_TicketFragmentDoc,
} from "@carequeue/graphql";
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type InputHTMLAttributes, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { LANGUAGES, changeLanguage, isLanguage } from "../../i18n";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { Loading } from "../../ui/Spinner";
import { BigButton } from "./BigButton";
import { Keypad } from "./Keypad";
import { KioskTicket } from "./KioskTicket";
import { QueueChoice } from "./QueueChoice";
import { DOB_FIELDS, DOB_LENGTH, dateOfBirth, type Attempt, type Dob, type Problem, type Step } from "./machine";
import { KIOSK_IDLE_MS, useIdleReset } from "./useIdleReset";

const NO_DOB: Dob = { day: "", month: "", year: "" };

/** The input field the server blamed (extensions.field), e.g. "input.phone". */
function errorField(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const field = error.errors[0]?.extensions?.field;
  return typeof field === "string" ? field : undefined;
}

export interface KioskFlowProps {
  /** The facility's active queues, for patients without an appointment. */
  queues: readonly (FragmentType<typeof KioskQueueChoice_QueueFragmentDoc> & { id: string })[];
  queuesLoading?: boolean;
  queuesError?: unknown;
  onRetryQueues?: () => void;
  /** How long without a touch before the screen starts over (default KIOSK_IDLE_MS). */
  idleMs?: number;
}

export function KioskFlow({ queues, queuesLoading = false, queuesError, onRetryQueues, idleMs = KIOSK_IDLE_MS }: KioskFlowProps) {
  const { t, i18n } = useTranslation();
  const homeLanguage = useRef(i18n.language);
  const [step, setStep] = useState<Step>("start");
  const [reference, setReference] = useState("");
  const [phone, setPhone] = useState("");
  const [dob, setDob] = useState<Dob>(NO_DOB);
  const [dobField, setDobField] = useState<keyof Dob>("day");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [ticket, setTicket] = useState<FragmentType<typeof KioskTicket_TicketFragmentDoc> | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [lastAttempt, setLastAttempt] = useState<Attempt | null>(null);
  const attempt = useRef<{ fingerprint: string; key: string } | null>(null);
  const dobInputs = useRef<Partial<Record<keyof Dob, HTMLInputElement | null>>>({});
  const heading = useRef<HTMLHeadingElement>(null);
  const [checkIn, { loading, reset }] = useKioskCheckIn();

  const startOver = useCallback(() => {
    setStep("start");
    setReference("");
    setPhone("");
    setDob(NO_DOB);
    setDobField("day");
    setFieldError(null);
    setTicket(null);
    setProblem(null);
    setLastAttempt(null);
    attempt.current = null;
    reset();
    const home = homeLanguage.current;
    if (isLanguage(home) && i18n.language !== home) void changeLanguage(home, false);
  }, [i18n, reset]);

  const active = step !== "start" || i18n.language !== homeLanguage.current;
  const secondsLeft = useIdleReset(active && !loading, idleMs, startOver);

  // A new step: tell screen readers where they are (input steps focus their field instead).
  useEffect(() => {
    if (step === "start" || step === "queue" || step === "ticket" || step === "problem") heading.current?.focus();
  }, [step]);

  function go(next: Step) {
    setFieldError(null);
    setStep(next);
  }

  async function submit(input: Attempt) {
    const fingerprint = JSON.stringify(input);
    if (attempt.current?.fingerprint !== fingerprint) attempt.current = { fingerprint, key: newIdempotencyKey() };
    setFieldError(null);
    setLastAttempt(input);
    try {
      const tk = await checkIn({ ...input, idempotencyKey: attempt.current.key });
      setTicket(tk);
      setReference("");
      setPhone("");
      setDob(NO_DOB);
      setLastAttempt(null);
      attempt.current = null;
      setStep("ticket");
    } catch (err) {
      const code = errorCode(err);
      if (code === "BAD_USER_INPUT") {
        const field = errorField(err) ?? "";
        if (field.includes("appointmentReference")) fail("reference", t("kiosk.badInput.reference"));
        else if (field.includes("phone")) fail("phone", t("kiosk.badInput.phone"));
        else if (field.includes("dateOfBirth")) fail("dob", t("kiosk.badInput.dateOfBirth"));
        else if (field.includes("queueID")) fail("queue", t("kiosk.badInput.queue"));
        else setFieldError(t("kiosk.badInput.other"));
        return;
      }
      const known: Problem[] = ["NOT_FOUND", "RATE_LIMITED", "CONFLICT", "NETWORK", "FORBIDDEN"];
      setProblem(code && (known as string[]).includes(code) ? (code as Problem) : "OTHER");
      setStep("problem");
    }
  }

  function fail(at: Step, message: string) {
    setStep(at);
    setFieldError(message);
  }

  function submitReference(e: FormEvent) {
    e.preventDefault();
    const ref = reference.trim();
    if (!ref) return setFieldError(t("kiosk.badInput.reference"));
    void submit({ appointmentReference: ref });
  }

  function submitPhone(e: FormEvent) {
    e.preventDefault();
    if (phone.replace(/\D/g, "").length < 7) return setFieldError(t("kiosk.badInput.phone"));
    go("dob");
  }

  function submitDob(e: FormEvent) {
    e.preventDefault();
    if (!dateOfBirth(dob)) return setFieldError(t("kiosk.dob.invalid"));
    go("queue");
  }

  function chooseQueue(queueID: string) {
    const date = dateOfBirth(dob);
    if (!date) return fail("dob", t("kiosk.dob.invalid"));
    void submit({ phone: phone.trim(), dateOfBirth: date, queueID });
  }

  function typeDob(key: string) {
    const field = dobField;
    const value = dob[field];
    if (value.length >= DOB_LENGTH[field]) return;
    const next = value + key;
    setDob((d) => ({ ...d, [field]: next }));
    const i = DOB_FIELDS.indexOf(field);
    if (next.length === DOB_LENGTH[field] && i < DOB_FIELDS.length - 1) dobInputs.current[DOB_FIELDS[i + 1]!]?.focus();
  }

  function deleteDob() {
    const field = dobField;
    const value = dob[field];
    const i = DOB_FIELDS.indexOf(field);
    if (!value && i > 0) {
      dobInputs.current[DOB_FIELDS[i - 1]!]?.focus();
      return;
    }
    setDob((d) => ({ ...d, [field]: value.slice(0, -1) }));
  }

  const title = (text: string) => (
    <h1 ref={heading} tabIndex={-1} className="text-4xl font-bold text-slate-900 outline-none">
      {text}
    </h1>
  );
  const errorText = fieldError && (
    <p role="alert" className="rounded-xl border-2 border-red-300 bg-red-50 px-4 py-3 text-xl text-red-900">
      {fieldError}
    </p>
  );
  const back = (to: Step) => (
    <BigButton variant="secondary" onClick={() => go(to)} disabled={loading}>
      {t("kiosk.back")}
    </BigButton>
  );

  let content: ReactNode;
  switch (step) {
    case "start":
      content = (
        <div className="flex flex-col items-center gap-8 text-center">
          {title(t("kiosk.welcome"))}
          <p className="text-2xl text-slate-700">{t("kiosk.intro")}</p>
          <div className="grid w-full gap-6 md:grid-cols-2">
            <BigButton className="min-h-40 flex-col" onClick={() => go("reference")}>
              <span className="text-3xl">{t("kiosk.withReference")}</span>
              <span className="text-lg font-normal text-teal-50">{t("kiosk.withReferenceHint")}</span>
            </BigButton>
            <BigButton variant="secondary" className="min-h-40 flex-col" onClick={() => go("phone")}>
              <span className="text-3xl">{t("kiosk.withoutReference")}</span>
              <span className="text-lg font-normal text-slate-600">{t("kiosk.withoutReferenceHint")}</span>
            </BigButton>
          </div>
        </div>
      );
      break;
    case "reference":
      content = (
        <form onSubmit={submitReference} className="flex flex-col gap-6" noValidate>
          {title(t("kiosk.reference.title"))}
          <BigField
            label={t("kiosk.reference.label")}
            hint={t("kiosk.reference.hint")}
            value={reference}
            onChange={(v) => setReference(v.toUpperCase())}
            autoFocus
            autoCapitalize="characters"
            maxLength={128}
          />
          {errorText}
          <div className="flex justify-between gap-4">
            {back("start")}
            <BigButton type="submit" busy={loading} disabled={!reference.trim()}>
              {loading ? t("kiosk.checkingIn") : t("kiosk.checkIn")}
            </BigButton>
          </div>
        </form>
      );
      break;
    case "phone":
      content = (
        <form onSubmit={submitPhone} className="flex flex-col items-center gap-6" noValidate>
          {title(t("kiosk.phone.title"))}
          <BigField
            label={t("kiosk.phone.label")}
            hint={t("kiosk.phone.hint")}
            value={phone}
            onChange={setPhone}
            type="tel"
            inputMode="none"
            autoFocus
            maxLength={20}
            className="w-full max-w-xl"
          />
          <Keypad extraKey="+" onKey={(k) => setPhone((p) => (p.length < 20 ? p + k : p))} onDelete={() => setPhone((p) => p.slice(0, -1))} />
          {errorText}
          <div className="flex w-full justify-between gap-4">
            {back("start")}
            <BigButton type="submit" disabled={!phone.trim()}>
              {t("kiosk.next")}
            </BigButton>
          </div>
        </form>
      );
      break;
    case "dob":
      content = (
        <form onSubmit={submitDob} className="flex flex-col items-center gap-6" noValidate>
          {title(t("kiosk.dob.title"))}
          <fieldset className="flex gap-4">
            <legend className="sr-only">{t("kiosk.dob.legend")}</legend>
            {DOB_FIELDS.map((f, i) => (
              <BigField
                key={f}
                label={t(`kiosk.dob.${f}`)}
                value={dob[f]}
                onChange={(v) => setDob({ ...dob, [f]: v.replace(/\D/g, "").slice(0, DOB_LENGTH[f]) })}
                onFocus={() => setDobField(f)}
                inputRef={(el) => {
                  dobInputs.current[f] = el;
                }}
                inputMode="none"
                autoFocus={i === 0}
                className={f === "year" ? "w-40" : "w-28"}
                placeholder={f === "year" ? "YYYY" : f === "month" ? "MM" : "DD"}
              />
            ))}
          </fieldset>
          <Keypad onKey={typeDob} onDelete={deleteDob} />
          {errorText}
          <div className="flex w-full justify-between gap-4">
            {back("phone")}
            <BigButton type="submit" disabled={!dob.day || !dob.month || dob.year.length !== 4}>
              {t("kiosk.next")}
            </BigButton>
          </div>
        </form>
      );
      break;
    case "queue":
      content = (
        <div className="flex flex-col gap-6">
          {title(t("kiosk.queue.title"))}
          <p className="text-xl text-slate-700">{t("kiosk.queue.hint")}</p>
          {errorText}
          {queuesLoading && <Loading />}
          {queuesError !== undefined && !queuesLoading && <ErrorNotice error={queuesError} onRetry={onRetryQueues} />}
          {!queuesLoading && queuesError === undefined && queues.length === 0 && <p className="text-xl">{t("kiosk.queue.none")}</p>}
          <div className="grid gap-4 md:grid-cols-2">
            {queues.map((q) => (
              <QueueChoice key={q.id} queue={q} onChoose={chooseQueue} busy={loading} />
            ))}
          </div>
          {loading && (
            <p role="status" className="text-center text-xl">
              {t("kiosk.checkingIn")}
            </p>
          )}
          <div>{back("dob")}</div>
        </div>
      );
      break;
    case "ticket":
      content = ticket && <KioskTicket ticket={ticket} secondsLeft={secondsLeft} onDone={startOver} />;
      break;
    case "problem": {
      const p = problem ?? "OTHER";
      const canRetry = (p === "NETWORK" || p === "OTHER") && lastAttempt !== null;
      content = (
        <div className="flex flex-col items-center gap-6 text-center" role="alert">
          {title(t(`kiosk.problem.${p}.title`))}
          <p className="max-w-2xl text-2xl text-slate-700">{t(`kiosk.problem.${p}.body`)}</p>
          <div className="flex flex-wrap justify-center gap-4">
            {canRetry && (
              <BigButton busy={loading} onClick={() => void submit(lastAttempt)}>
                {t("kiosk.retry")}
              </BigButton>
            )}
            <BigButton variant={canRetry ? "secondary" : "primary"} onClick={startOver} disabled={loading}>
              {t("kiosk.startOver")}
            </BigButton>
          </div>
        </div>
      );
      break;
    }
  }

  return (
    <div className="flex min-h-screen flex-col bg-slate-50">
      <header className="flex flex-wrap items-center justify-between gap-4 border-b border-slate-200 bg-white px-6 py-3">
        <span className="text-2xl font-bold text-teal-800">{t("app.name")}</span>
        <div role="group" aria-label={t("language.label")} className="flex gap-2">
          {LANGUAGES.map((l) => {
            const current = i18n.language === l.code;
            return (
              <button
                key={l.code}
                type="button"
                lang={l.code}
                aria-pressed={current}
                onClick={() => void changeLanguage(l.code, false)}
                className={`min-h-12 rounded-xl px-4 text-lg font-semibold ${current ? "bg-teal-700 text-white" : "bg-white text-slate-900 ring-2 ring-slate-300"}`}
              >
                {l.name}
              </button>
            );
          })}
        </div>
      </header>
      <main className="mx-auto flex w-full max-w-4xl flex-1 flex-col justify-center p-6" data-testid={`kiosk-step-${step}`}>
        {content}
      </main>
    </div>
  );
}

function BigField({
  label,
  hint,
  value,
  onChange,
  inputRef,
  className = "",
  ...input
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  inputRef?: (el: HTMLInputElement | null) => void;
  className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "className">) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-2 block text-xl font-semibold text-slate-800">
        {label}
      </label>
      <input
        id={id}
        ref={inputRef}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        autoComplete="off"
        spellCheck={false}
        className="block w-full rounded-xl border-2 border-slate-400 bg-white px-4 py-3 text-center font-mono text-3xl tracking-wider text-slate-900 focus:border-sky-600"
        {...input}
      />
      {hint && (
        <p id={`${id}-hint`} className="mt-2 text-lg text-slate-600">
          {hint}
        </p>
      )}
    </div>
  );
}
