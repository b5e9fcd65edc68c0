// The browser build has no FCM: the patient gets SMS and the live page instead.
import type { DevicePlatform } from "@carequeue/graphql";

export const pushPlatform: DevicePlatform = "WEB";
export const pushAvailable = () => false;
export const pushToken = async (): Promise<string | null> => null;
export const onPushTokenRefresh = (_cb: (token: string) => void) => () => undefined;
export const deletePushToken = async () => undefined;
export const onPushOpened = (_cb: (data: Record<string, unknown>) => void) => () => undefined;
