// The signed-in patient's app-wide state: preferences (language, notifications), code sign-in and
// sign-out, push registration and notification taps. One provider in the root layout.
import {
  RegisterDeviceDocument,
  RequestPatientCodeDocument,
  Session_AuthPayloadFragmentDoc,
  UnregisterDeviceDocument,
  VerifyPatientCodeDocument,
  getFragmentData,
  storedSessionFrom,
  useCareQueue,
  useSession,
} from "@carequeue/graphql";
import { router } from "expo-router";
import * as Notifications from "expo-notifications";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { Platform } from "react-native";

import { setBackgroundRefresh } from "./background/task";
import { i18n, pickLanguage, deviceLanguage } from "./i18n";
import { routeForNotification } from "./links";
import { deletePushToken, onPushOpened, onPushTokenRefresh, pushAvailable, pushPlatform, pushToken } from "./push/push";
import { defaultPreferences, loadPreferences, savePreferences, type Preferences } from "./storage/preferences";
import { clearCache } from "./storage/ticketCache";

export interface PatientState {
  preferences: Preferences;
  setPreferences(p: Partial<Preferences>): Promise<void>;
  /** The language of the patient's record (from PatientHome), when known. */
  setRecordLanguage(tag: string | null): void;
  requestCode(phone: string): Promise<void>;
  verifyCode(phone: string, code: string): Promise<void>;
  signOut(): Promise<void>;
  pushAvailable: boolean;
  /** The session ended without the patient signing out (refresh refused, e.g. after a long time away). */
  sessionEnded: boolean;
}

const Ctx = createContext<PatientState | null>(null);

export function usePatient(): PatientState {
  const c = useContext(Ctx);
  if (!c) throw new Error("usePatient: wrap the app in <PatientProvider>");
  return c;
}

export function PatientProvider({ children }: { children: ReactNode }) {
  const { apollo, session } = useCareQueue();
  const { session: current, signOut: endSession } = useSession();
  const [preferences, setPrefs] = useState<Preferences>(defaultPreferences);
  const [recordLanguage, setRecordLanguage] = useState<string | null>(null);
  const pushTokenRef = useRef<string | null>(null);

  const prefsRef = useRef(preferences);
  useEffect(() => {
    void loadPreferences().then((p) => {
      prefsRef.current = p;
      setPrefs(p);
    });
  }, []);

  // The language: the patient's choice, else their record's, else the phone's.
  useEffect(() => {
    const lng = pickLanguage(preferences.language, recordLanguage, deviceLanguage());
    if (i18n.language !== lng) void i18n.changeLanguage(lng);
  }, [preferences.language, recordLanguage]);

  const setPreferences = useCallback(async (p: Partial<Preferences>) => {
    const next = { ...prefsRef.current, ...p };
    prefsRef.current = next;
    setPrefs(next);
    await savePreferences(next);
  }, []);

  const requestCode = useCallback(
    async (phone: string) => {
      await apollo.mutate({ mutation: RequestPatientCodeDocument, variables: { phone } });
    },
    [apollo],
  );

  const verifyCode = useCallback(
    async (phone: string, code: string) => {
      const { data } = await apollo.mutate({ mutation: VerifyPatientCodeDocument, variables: { phone, code } });
      if (!data) throw new Error("verifyPatientCode returned no session");
      const s = storedSessionFrom(getFragmentData(Session_AuthPayloadFragmentDoc, data.verifyPatientCode));
      await apollo.clearStore();
      await session.signIn(s);
    },
    [apollo, session],
  );

  // Push: register this phone's FCM token after sign-in and whenever FCM rotates it.
  const signedIn = current?.user.role === "PATIENT";

  // Tell the patient why they are back at sign-in when the server ended the session (not a sign-out).
  const [sessionEnded, setSessionEnded] = useState(false);
  const signingOut = useRef(false);
  useEffect(() => {
    let had = session.current() !== null;
    return session.subscribe((s) => {
      if (s) setSessionEnded(false);
      else if (had && !signingOut.current) setSessionEnded(true);
      had = s !== null;
    });
  }, [session]);
  useEffect(() => {
    if (!signedIn || !preferences.notifications || !pushAvailable()) return;
    let live = true;
    const register = async (token: string) => {
      pushTokenRef.current = token;
      await apollo
        .mutate({ mutation: RegisterDeviceDocument, variables: { platform: pushPlatform, pushToken: token } })
        .catch(() => undefined); // retried on the next start or token refresh
    };
    void pushToken()
      .then((t) => {
        if (live && t) return register(t);
      })
      .catch(() => undefined);
    const off = onPushTokenRefresh((t) => void register(t));
    return () => {
      live = false;
      off();
    };
  }, [apollo, signedIn, preferences.notifications]);

  // Background refresh (local "nearly up" notifications) only while signed in with notifications on.
  useEffect(() => {
    if (Platform.OS === "web") return;
    void setBackgroundRefresh(signedIn && preferences.notifications);
  }, [signedIn, preferences.notifications]);

  // A tapped notification (push or local) opens its ticket.
  useEffect(() => {
    const open = (data: Record<string, unknown> | undefined) => {
      const route = routeForNotification(data);
      if (route) router.push(route as never);
    };
    const offPush = onPushOpened(open);
    let sub: { remove(): void } | undefined;
    if (Platform.OS !== "web") {
      sub = Notifications.addNotificationResponseReceivedListener((r) =>
        open(r.notification.request.content.data as Record<string, unknown>),
      );
    }
    return () => {
      offPush();
      sub?.remove();
    };
  }, []);

  const signOut = useCallback(async () => {
    signingOut.current = true;
    const token = pushTokenRef.current;
    if (token) {
      await apollo.mutate({ mutation: UnregisterDeviceDocument, variables: { pushToken: token } }).catch(() => undefined);
      await deletePushToken();
      pushTokenRef.current = null;
    }
    await endSession(); // logout on the server (best effort) and forget the tokens
    await clearCache();
    await setBackgroundRefresh(false);
    signingOut.current = false;
  }, [apollo, endSession]);

  const value = useMemo<PatientState>(
    () => ({
      preferences,
      setPreferences,
      setRecordLanguage,
      requestCode,
      verifyCode,
      signOut,
      pushAvailable: pushAvailable(),
      sessionEnded,
    }),
    [preferences, setPreferences, requestCode, verifyCode, signOut, sessionEnded],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
