// The app's small set of accessible building blocks: every control has a role and a label for screen
// readers, a 48 pt touch target, and text that scales to 200 % (MAX_FONT_SCALE) and wraps.
import type { ReactNode } from "react";
import {
  ActivityIndicator,
  Pressable,
  ScrollView,
  StyleSheet,
  Text,
  TextInput,
  View,
  type TextInputProps,
  type TextProps,
} from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";

import { MAX_FONT_SCALE, colors, space } from "./theme";

export function Screen({ children, testID }: { children: ReactNode; testID?: string }) {
  return (
    <SafeAreaView style={styles.safe} edges={["bottom", "left", "right"]}>
      <ScrollView contentContainerStyle={styles.scroll} keyboardShouldPersistTaps="handled" testID={testID}>
        {children}
      </ScrollView>
    </SafeAreaView>
  );
}

export function T({ style, ...props }: TextProps) {
  return <Text maxFontSizeMultiplier={MAX_FONT_SCALE} style={[styles.text, style]} {...props} />;
}

export function Heading({ children, testID }: { children: ReactNode; testID?: string }) {
  return (
    <T accessibilityRole="header" style={styles.heading} testID={testID}>
      {children}
    </T>
  );
}

export function Button({
  title,
  onPress,
  disabled,
  busy,
  kind = "primary",
  hint,
  testID,
}: {
  title: string;
  onPress: () => void;
  disabled?: boolean;
  busy?: boolean;
  kind?: "primary" | "secondary";
  hint?: string;
  testID?: string;
}) {
  const off = disabled || busy;
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={title}
      accessibilityHint={hint}
      accessibilityState={{ disabled: !!off, busy: !!busy }}
      disabled={off}
      onPress={onPress}
      testID={testID}
      style={({ pressed }) => [
        styles.button,
        kind === "primary" ? styles.primary : styles.secondary,
        off && styles.disabled,
        pressed && styles.pressed,
      ]}
    >
      {busy ? <ActivityIndicator color={kind === "primary" ? colors.onPrimary : colors.primary} /> : null}
      <T style={kind === "primary" ? styles.primaryText : styles.secondaryText}>{title}</T>
    </Pressable>
  );
}

export function Field({
  label,
  help,
  error,
  testID,
  ...input
}: TextInputProps & { label: string; help?: string; error?: string | null; testID?: string }) {
  return (
    <View style={styles.field}>
      <T style={styles.label} nativeID={testID ? `${testID}-label` : undefined}>
        {label}
      </T>
      {help ? <T style={styles.help}>{help}</T> : null}
      <TextInput
        accessibilityLabel={label}
        accessibilityHint={help}
        aria-invalid={!!error}
        maxFontSizeMultiplier={MAX_FONT_SCALE}
        placeholderTextColor={colors.muted}
        style={[styles.input, error ? styles.inputError : null]}
        testID={testID}
        {...input}
      />
      {error ? (
        <T accessibilityRole="alert" accessibilityLiveRegion="assertive" style={styles.error} testID={testID ? `${testID}-error` : undefined}>
          {error}
        </T>
      ) : null}
    </View>
  );
}

/** A message in a box: errors are announced, notices are read politely. */
export function Notice({ children, kind = "info", testID }: { children: ReactNode; kind?: "info" | "error" | "warning"; testID?: string }) {
  return (
    <View
      accessibilityRole={kind === "error" ? "alert" : "text"}
      accessibilityLiveRegion={kind === "error" ? "assertive" : "polite"}
      style={[styles.notice, kind === "error" && styles.noticeError, kind === "warning" && styles.noticeWarning]}
      testID={testID}
    >
      <T style={kind === "error" ? styles.errorText : kind === "warning" ? styles.warningText : undefined}>{children}</T>
    </View>
  );
}

export function Card({ children, label, testID }: { children: ReactNode; label?: string; testID?: string }) {
  return (
    <View style={styles.card} accessible={!!label} accessibilityLabel={label} testID={testID}>
      {children}
    </View>
  );
}

export const styles = StyleSheet.create({
  safe: { flex: 1, backgroundColor: colors.background },
  scroll: { padding: space.md, gap: space.md, flexGrow: 1 },
  text: { color: colors.text, fontSize: 17, lineHeight: 24, flexShrink: 1 },
  heading: { fontSize: 26, lineHeight: 32, fontWeight: "700" },
  label: { fontWeight: "600" },
  help: { color: colors.muted, fontSize: 15, lineHeight: 21 },
  field: { gap: space.xs },
  input: {
    minHeight: 48,
    borderWidth: 1,
    borderColor: colors.border,
    borderRadius: 8,
    paddingHorizontal: space.md,
    paddingVertical: space.sm,
    fontSize: 20,
    color: colors.text,
    backgroundColor: colors.background,
  },
  inputError: { borderColor: colors.danger, borderWidth: 2 },
  error: { color: colors.danger, fontWeight: "600" },
  errorText: { color: colors.danger },
  warningText: { color: colors.warningText },
  button: {
    minHeight: 48,
    borderRadius: 8,
    paddingHorizontal: space.md,
    paddingVertical: space.sm,
    alignItems: "center",
    justifyContent: "center",
    flexDirection: "row",
    gap: space.sm,
  },
  primary: { backgroundColor: colors.primary },
  secondary: { backgroundColor: colors.background, borderWidth: 2, borderColor: colors.primary },
  primaryText: { color: colors.onPrimary, fontWeight: "700", textAlign: "center" },
  secondaryText: { color: colors.primary, fontWeight: "700", textAlign: "center" },
  disabled: { opacity: 0.6 },
  pressed: { opacity: 0.85 },
  notice: { padding: space.md, borderRadius: 8, backgroundColor: colors.surface },
  noticeError: { backgroundColor: "#fdecec" },
  noticeWarning: { backgroundColor: colors.warningBg },
  card: { padding: space.md, borderRadius: 12, borderWidth: 1, borderColor: colors.border, gap: space.xs },
});
