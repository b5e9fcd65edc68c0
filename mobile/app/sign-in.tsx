// Sign in with a one-time code: phone (E.164, with help for the local format) → 6-digit code. The
// server answers the same for a known and an unknown phone; so does this screen.
import { errorCode } from "@carequeue/graphql";
import { router } from "expo-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { normalisePhone, patientMessage } from "../src/errors";
import { usePatient } from "../src/patient";
import { Button, Field, Heading, Notice, Screen, T } from "../src/ui/kit";

export default function SignIn() {
  const { t } = useTranslation();
  const { requestCode, verifyCode, sessionEnded } = usePatient();
  const [phoneText, setPhoneText] = useState("");
  const [phone, setPhone] = useState<string | null>(null); // E.164 once a code was requested
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const send = async () => {
    const e164 = normalisePhone(phoneText);
    setError(null);
    if (!e164) return setFieldError(t("signIn.phoneInvalid"));
    setFieldError(null);
    setBusy(true);
    try {
      await requestCode(e164);
      setPhone(e164);
      setCode("");
    } catch (err) {
      setError(patientMessage(t, err, "signIn"));
    } finally {
      setBusy(false);
    }
  };

  const verify = async () => {
    const digits = code.replace(/\D/g, "");
    setError(null);
    if (digits.length !== 6 || !phone) return setFieldError(t("signIn.codeInvalid"));
    setFieldError(null);
    setBusy(true);
    try {
      await verifyCode(phone, digits);
      router.replace("/visits");
    } catch (err) {
      setError(patientMessage(t, err, errorCode(err) === "RATE_LIMITED" ? "signIn" : "code"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen testID="sign-in">
      <Heading>{t("app.name")}</Heading>
      {sessionEnded ? <Notice kind="warning" testID="session-ended">{t("common.sessionEnded")}</Notice> : null}
      {phone === null ? (
        <>
          <T>{t("signIn.intro")}</T>
          <Field
            label={t("signIn.phoneLabel")}
            help={t("signIn.phoneHelp")}
            error={fieldError}
            value={phoneText}
            onChangeText={setPhoneText}
            keyboardType="phone-pad"
            autoComplete="tel"
            textContentType="telephoneNumber"
            inputMode="tel"
            returnKeyType="send"
            onSubmitEditing={send}
            testID="phone"
          />
          {error ? <Notice kind="error" testID="sign-in-error">{error}</Notice> : null}
          <Button title={t("signIn.sendCode")} onPress={send} busy={busy} testID="send-code" />
        </>
      ) : (
        <>
          <Notice testID="code-sent">{t("signIn.codeSent", { phone })}</Notice>
          <Field
            label={t("signIn.codeLabel")}
            error={fieldError}
            value={code}
            onChangeText={(v) => setCode(v.replace(/\D/g, "").slice(0, 6))}
            keyboardType="number-pad"
            inputMode="numeric"
            autoComplete="one-time-code"
            textContentType="oneTimeCode"
            maxLength={6}
            returnKeyType="done"
            onSubmitEditing={verify}
            testID="code"
          />
          {error ? <Notice kind="error" testID="sign-in-error">{error}</Notice> : null}
          <Button title={t("signIn.verify")} onPress={verify} busy={busy} testID="verify" />
          <Button title={t("signIn.resend")} kind="secondary" onPress={send} disabled={busy} testID="resend" />
          <Button title={t("signIn.changeNumber")} kind="secondary" onPress={() => setPhone(null)} disabled={busy} />
        </>
      )}
      <Button title={t("signIn.follow")} kind="secondary" onPress={() => router.push("/follow")} testID="follow-link" />
    </Screen>
  );
}
