// "It's your turn": a vibration, a haptic tap and a chime, so a patient with the phone in a pocket or
// the sound off still notices. Each part fails quietly where the platform lacks it (the web build).
import { createAudioPlayer, setAudioModeAsync } from "expo-audio";
import * as Haptics from "expo-haptics";
import { Platform, Vibration } from "react-native";

let player: ReturnType<typeof createAudioPlayer> | null = null;

export function alertCalled(): void {
  try {
    Vibration.vibrate(Platform.OS === "android" ? [0, 600, 300, 600, 300, 600] : [0, 600, 600]);
  } catch {
    // no vibrator
  }
  void Haptics.notificationAsync(Haptics.NotificationFeedbackType.Success).catch(() => undefined);
  try {
    if (!player) {
      void setAudioModeAsync({ playsInSilentMode: true }).catch(() => undefined);
      player = createAudioPlayer(require("../../assets/chime.wav"));
    }
    void player.seekTo(0).then(() => player?.play()).catch(() => undefined);
  } catch {
    // no audio output
  }
}
