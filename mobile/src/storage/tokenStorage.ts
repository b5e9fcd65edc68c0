// The session lives only in the phone's secure storage (iOS Keychain, Android Keystore), never in
// AsyncStorage or files. The browser build uses tokenStorage.web.ts instead.
import type { StoredSession, TokenStorage } from "@carequeue/graphql";
import * as SecureStore from "expo-secure-store";

import { parseSession } from "./session";

const KEY = "carequeue.session";

export function secureTokenStorage(): TokenStorage {
  return {
    async load(): Promise<StoredSession | null> {
      return parseSession(await SecureStore.getItemAsync(KEY));
    },
    async save(session: StoredSession | null): Promise<void> {
      if (session) {
        // Readable only while the phone is unlocked, and never restored onto another phone.
        await SecureStore.setItemAsync(KEY, JSON.stringify(session), {
          keychainAccessible: SecureStore.AFTER_FIRST_UNLOCK_THIS_DEVICE_ONLY,
        });
      } else {
        await SecureStore.deleteItemAsync(KEY);
      }
    },
  };
}
