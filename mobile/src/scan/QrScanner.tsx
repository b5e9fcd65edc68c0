// The kiosk ticket's QR code through the camera (expo-camera). A code that is not a CareQueue status
// link is reported once, not on every frame.
import { CameraView, useCameraPermissions } from "expo-camera";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { View } from "react-native";

import { statusTokenFrom } from "../links";
import { Button, Notice } from "../ui/kit";

export function QrScanner({ onScanned, onInvalid }: { onScanned(data: string): boolean; onInvalid(): void }) {
  const { t } = useTranslation();
  const [permission, request] = useCameraPermissions();
  const last = useRef<string | null>(null);
  if (!permission) return null;
  if (!permission.granted) {
    return permission.canAskAgain ? (
      <Button title={t("follow.scan")} onPress={() => void request()} testID="camera-permission" />
    ) : (
      <Notice kind="warning">{t("follow.cameraDenied")}</Notice>
    );
  }
  return (
    <View style={{ height: 320, borderRadius: 12, overflow: "hidden" }} accessibilityLabel={t("follow.scan")}>
      <CameraView
        style={{ flex: 1 }}
        facing="back"
        barcodeScannerSettings={{ barcodeTypes: ["qr"] }}
        onBarcodeScanned={({ data }) => {
          if (data === last.current) return;
          last.current = data;
          if (statusTokenFrom(data)) onScanned(data);
          else onInvalid();
        }}
      />
    </View>
  );
}
