// The last known state of the patient's tickets, kept on the device so the app shows them at once on
// start and while offline ("last updated 10:42"). Nothing secret: what the ticket screen shows. It is
// cleared on sign-out. Public (followed) tickets are kept by status token.
import AsyncStorage from "@react-native-async-storage/async-storage";

export interface Snapshot<T> {
  /** When the server last confirmed this state (ISO 8601). */
  savedAt: string;
  value: T;
}

const PREFIX = "carequeue.cache.";
const MAX_FOLLOWED = 10;

async function read<T>(key: string): Promise<Snapshot<T> | null> {
  try {
    const raw = await AsyncStorage.getItem(PREFIX + key);
    if (!raw) return null;
    const s = JSON.parse(raw) as Snapshot<T>;
    return s && typeof s.savedAt === "string" && "value" in s ? s : null;
  } catch {
    return null; // a corrupt entry is as good as none
  }
}

async function write<T>(key: string, value: T, now = new Date()): Promise<Snapshot<T>> {
  const s: Snapshot<T> = { savedAt: now.toISOString(), value };
  try {
    await AsyncStorage.setItem(PREFIX + key, JSON.stringify(s));
  } catch {
    // storage full or unavailable: the live view still works
  }
  return s;
}

/** The signed-in patient's open tickets and home data, per account. */
export const homeCache = {
  load: <T>(accountID: string) => read<T>(`home.${accountID}`),
  save: <T>(accountID: string, value: T, now?: Date) => write(`home.${accountID}`, value, now),
};

/** Tickets followed through a status link, by token (the most recent few). */
export const followedCache = {
  load: <T>(token: string) => read<T>(`followed.${token}`),
  async save<T>(token: string, value: T, now?: Date) {
    const s = await write(`followed.${token}`, value, now);
    const index = (await read<string[]>("followed"))?.value ?? [];
    const next = [token, ...index.filter((t) => t !== token)];
    for (const old of next.slice(MAX_FOLLOWED)) await AsyncStorage.removeItem(PREFIX + `followed.${old}`);
    await write("followed", next.slice(0, MAX_FOLLOWED), now);
    return s;
  },
};

/** Everything this app stored about the patient (sign-out on a shared phone). */
export async function clearCache(): Promise<void> {
  const keys = (await AsyncStorage.getAllKeys()).filter((k) => k.startsWith(PREFIX));
  if (keys.length) await AsyncStorage.multiRemove(keys);
}
