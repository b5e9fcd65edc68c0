import AsyncStorage from "@react-native-async-storage/async-storage";

import { defaultPreferences, loadPreferences, savePreferences } from "./preferences";

describe("preferences", () => {
  it("defaults to the record's language with notifications on", async () => {
    expect(await loadPreferences()).toEqual({ language: null, notifications: true });
    expect(defaultPreferences).toEqual({ language: null, notifications: true });
  });

  it("round-trips what the patient chose", async () => {
    await savePreferences({ language: "es", notifications: false });
    expect(await loadPreferences()).toEqual({ language: "es", notifications: false });
  });

  it("ignores wrong types and corrupt JSON", async () => {
    await AsyncStorage.setItem("carequeue.preferences", JSON.stringify({ language: 7, notifications: "no" }));
    expect(await loadPreferences()).toEqual({ language: null, notifications: true });
    await AsyncStorage.setItem("carequeue.preferences", "{");
    expect(await loadPreferences()).toEqual(defaultPreferences);
  });
});
