import { addBreadcrumb, createTransport, setUser } from "@sentry/react";
import { describe, expect, it } from "vitest";

import { reportError, reportSettings, startErrorReports } from "./errorReports";

const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl";
const patientData = ["Zephyrine", "Quackenbush", "MRN-4471-XQ", "698765432", "1961-07-23", "zq@example.org", jwt, "k3XqP9sVn2LmW8rTz4YbQ7uE"];

function page(meta: Record<string, string>): Document {
  const doc = document.implementation.createHTMLDocument("CareQueue");
  for (const [name, content] of Object.entries(meta)) {
    const m = doc.createElement("meta");
    m.name = name;
    m.content = content;
    doc.head.append(m);
  }
  return doc;
}

describe("error reports", () => {
  it("are off, and the SDK never loaded, without a DSN in the page", async () => {
    let loaded = false;
    const sentry = await startErrorReports(undefined, page({ "sentry-release": "v1" }), () => {
      loaded = true;
      return import("./sentrySdk");
    });
    expect(sentry).toBeNull();
    expect(loaded).toBe(false);
    expect(reportSettings(page({}))).toBeNull();
  });

  it("send what the real SDK builds, scrubbed, tagged with the release and environment", async () => {
    // The envelopes the SDK would post to the DSN's host, captured at its transport (the request
    // itself is the SDK's fetch).
    const envelopes: string[] = [];
    const doc = page({
      "sentry-dsn": "https://w3b@o1.ingest.sentry.example.org/43",
      "sentry-environment": "staging",
      "sentry-release": "v1.2.3",
    });
    window.history.replaceState(null, "", "/t/k3XqP9sVn2LmW8rTz4YbQ7uE?mrn=MRN-4471-XQ");
    const sentry = await startErrorReports(() => ["Zephyrine"], doc, () => import("./sentrySdk"), {
      transport: (options) =>
        createTransport(options, async (request) => {
          envelopes.push(typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body));
          return { statusCode: 200 };
        }),
    });
    expect(sentry).not.toBeNull();
    setUser({ email: "zq@example.org" }); // were the app to set one
    addBreadcrumb({ message: "typed Quackenbush" });
    reportError(new Error(`Zephyrine: check-in of "Zephyrine Quackenbush" (mrn)=(MRN-4471-XQ) born 1961-07-23, Bearer ${jwt}`));
    await new Promise((r) => setTimeout(r, 50));
    await sentry!.flush(2000);

    const events = envelopes.flatMap((e) =>
      e
        .split("\n")
        .filter((line) => line.includes('"exception"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.release).toBe("v1.2.3");
    expect(event.environment).toBe("staging");
    expect(JSON.stringify(event.exception)).toContain("[Filtered]: check-in of [Filtered]");
    expect(event.user).toBeUndefined();
    expect(event.breadcrumbs).toBeUndefined();
    for (const envelope of envelopes) for (const secret of patientData) expect(envelope).not.toContain(secret);
    await sentry!.close();
  });
});
