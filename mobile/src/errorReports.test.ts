import type { ErrorEvent } from "@sentry/react-native";

import { patientValues } from "@carequeue/graphql";
import { reportError, reportSettings, sentryOptions, startErrorReports } from "./errorReports";

const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl";
const patientData = ["Zephyrine", "Quackenbush", "MRN-4471-XQ", "698765432", "1961-07-23", "zq@example.org", jwt, "k3XqP9sVn2LmW8rTz4YbQ7uE"];

// The SDK's native bridge cannot run under Jest: the SDK is replaced by what it is asked to do.
function fakeSdk() {
  return { init: jest.fn(), captureException: jest.fn() };
}

describe("error reports", () => {
  it("are off, and the SDK never loaded, without a DSN", async () => {
    const load = jest.fn();
    expect(reportSettings({ apiUrl: "https://q.example.org" }, "0.1.0")).toBeNull();
    expect(await startErrorReports(undefined, null, load)).toBeNull();
    expect(load).not.toHaveBeenCalled();
  });

  it("start with the build's DSN, release and environment, and nothing personal collected", async () => {
    const settings = reportSettings({ sentryDsn: "https://m0b@o1.ingest.sentry.example.org/44", sentryEnvironment: "staging" }, "0.1.0");
    expect(settings).toEqual({ dsn: "https://m0b@o1.ingest.sentry.example.org/44", environment: "staging", release: "carequeue-patient@0.1.0" });
    const sdk = fakeSdk();
    await startErrorReports(undefined, settings, async () => sdk);
    expect(sdk.init).toHaveBeenCalledTimes(1);
    const options = sdk.init.mock.calls[0][0];
    expect(options).toMatchObject({
      dsn: "https://m0b@o1.ingest.sentry.example.org/44",
      environment: "staging",
      release: "carequeue-patient@0.1.0",
      sendDefaultPii: false,
      enableAutoSessionTracking: false,
      attachScreenshot: false,
      attachViewHierarchy: false,
      enableCaptureFailedRequests: false,
      maxBreadcrumbs: 0,
    });
    expect(options.beforeBreadcrumb({ message: "Zephyrine" })).toBeNull();
    const kept = options.integrations([{ name: "Breadcrumbs" }, { name: "Console" }, { name: "ReactNativeErrorHandlers" }]);
    expect(kept.map((i: { name: string }) => i.name)).toEqual(["ReactNativeErrorHandlers"]);

    const error = new Error("boom");
    reportError(error);
    await Promise.resolve();
    expect(sdk.captureException).toHaveBeenCalledWith(error);
  });

  it("scrub every event before it is sent", () => {
    const options = sentryOptions({ dsn: "https://m0b@o1.ingest.sentry.example.org/44" });
    const event = {
      type: undefined,
      message: `check-in of "Zephyrine Quackenbush"`,
      user: { email: "zq@example.org" },
      breadcrumbs: [{ message: "Quackenbush" }],
      request: { url: "carequeue://t/k3XqP9sVn2LmW8rTz4YbQ7uE?mrn=MRN-4471-XQ", headers: { Authorization: `Bearer ${jwt}` } },
      contexts: { patient: { phone: "698765432", born: "1961-07-23" } },
      exception: { values: [{ type: "TypeError", value: `(mrn)=(MRN-4471-XQ) for 'Zephyrine'` }] },
    } as ErrorEvent;
    const sent = options.beforeSend!(event, {});
    const text = JSON.stringify(sent);
    for (const secret of patientData) expect(text).not.toContain(secret);
    expect(text).toContain("TypeError");
  });

  it("filter the patient data the app holds, which has no shape to match", () => {
    const known = patientValues({
      "Patient:P1": { __typename: "Patient", id: "P1", givenName: "Zephyrine", familyName: "Quackenbush" },
    });
    const options = sentryOptions({ dsn: "https://m0b@o1.ingest.sentry.example.org/44" }, () => known);
    const event = { type: undefined, message: "no ticket for Zephyrine QUACKENBUSH" } as ErrorEvent;
    const text = JSON.stringify(options.beforeSend!(event, {}));
    expect(text).not.toMatch(/zephyrine|quackenbush/i);
  });
});
