// Language, notifications, sign out.
import { useSession } from "@carequeue/graphql";
import { router } from "expo-router";
import { useTranslation } from "react-i18next";
import { Pressable, Switch, View } from "react-native";

import { LANGUAGES } from "../src/i18n";
import { usePatient } from "../src/patient";
import { Button, Heading, Screen, T, styles } from "../src/ui/kit";

export default function Settings() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const { preferences, setPreferences, signOut, pushAvailable } = usePatient();
  return (
    <Screen testID="settings">
      <Heading>{t("settings.title")}</Heading>
      {session ? <T>{t("settings.signedInAs", { name: session.user.name })}</T> : null}
      <T accessibilityRole="header" style={styles.label}>
        {t("settings.language")}
      </T>
      <View accessibilityRole="radiogroup" style={{ gap: 8 }}>
        {LANGUAGES.map((l) => {
          const selected = i18n.language === l.code;
          return (
            <Pressable
              key={l.code}
              accessibilityRole="radio"
              accessibilityState={{ checked: selected }}
              accessibilityLabel={l.name}
              onPress={() => void setPreferences({ language: l.code })}
              style={[styles.button, styles.secondary, selected && { borderWidth: 4 }]}
              testID={`language-${l.code}`}
            >
              <T style={styles.secondaryText}>{selected ? `✓ ${l.name}` : l.name}</T>
            </Pressable>
          );
        })}
      </View>
      <View style={{ flexDirection: "row", alignItems: "center", gap: 12, flexWrap: "wrap" }}>
        <T style={[styles.label, { flex: 1 }]}>{t("settings.notifications")}</T>
        <Switch
          accessibilityLabel={t("settings.notifications")}
          accessibilityHint={t("settings.notificationsHelp")}
          value={preferences.notifications}
          onValueChange={(v) => void setPreferences({ notifications: v })}
          testID="notifications"
        />
      </View>
      <T style={styles.help}>{pushAvailable ? t("settings.notificationsHelp") : t("settings.notificationsUnavailable")}</T>
      <Button
        title={t("settings.signOut")}
        kind="secondary"
        onPress={async () => {
          await signOut();
          router.replace("/sign-in");
        }}
        testID="sign-out"
      />
    </Screen>
  );
}
