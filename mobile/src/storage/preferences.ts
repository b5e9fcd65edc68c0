// The patient's choices on this device: language and whether to use push notifications.
import AsyncStorage from "@react-native-async-storage/async-storage";

export interface Preferences {
  /** A language the patient picked in Settings; null follows their record. */
  language: string | null;
  notifications: boolean;
}

const KEY = "carequeue.preferences";
export const defaultPreferences: Preferences = { language: null, notifications: true };

export async function loadPreferences(): Promise<Preferences> {
  try {
    const raw = await AsyncStorage.getItem(KEY);
    const p = raw ? (JSON.parse(raw) as Partial<Preferences>) : {};
    return {
      language: typeof p.language === "string" ? p.language : null,
      notifications: typeof p.notifications === "boolean" ? p.notifications : true,
    };
  } catch {
    return defaultPreferences;
  }
}

export async function savePreferences(p: Preferences): Promise<void> {
  await AsyncStorage.setItem(KEY, JSON.stringify(p));
}
