// Follow a ticket without an account: paste the link from the SMS or scan the kiosk's QR code.
import { router } from "expo-router";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { statusTokenFrom } from "../src/links";
import { QrScanner } from "../src/scan/QrScanner";
import { Button, Field, Heading, Screen, T } from "../src/ui/kit";

export default function Follow() {
  const { t } = useTranslation();
  const [link, setLink] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);

  const open = (text: string) => {
    const token = statusTokenFrom(text);
    if (!token) {
      setError(t("follow.invalid"));
      return false;
    }
    setError(null);
    router.push(`/t/${token}`);
    return true;
  };

  return (
    <Screen testID="follow-start">
      <Heading>{t("follow.title")}</Heading>
      <T>{t("follow.intro")}</T>
      <Field
        label={t("follow.linkLabel")}
        value={link}
        onChangeText={setLink}
        error={error}
        autoCapitalize="none"
        autoCorrect={false}
        inputMode="url"
        keyboardType="url"
        onSubmitEditing={() => open(link)}
        testID="status-link"
      />
      <Button title={t("follow.open")} onPress={() => open(link)} testID="open-link" />
      {scanning ? (
        <QrScanner onScanned={(data) => open(data)} onInvalid={() => setError(t("follow.invalid"))} />
      ) : (
        <Button title={t("follow.scan")} kind="secondary" onPress={() => setScanning(true)} testID="scan" />
      )}
    </Screen>
  );
}
