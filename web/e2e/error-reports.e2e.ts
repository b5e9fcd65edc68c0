// The web app's error reports over the wire (issue 15): a local fake Sentry collector (a Node HTTP
// server on loopback that records every request), the real server started with SENTRY_WEB_DSN pointing
// at it, and Chromium. The page is reception with a patient's name, MRN, date of birth and phone on
// screen; an uncaught error whose message carries that text, the page's address (with a query string)
// and the stored session reaches the collector as one event tagged with the release and environment, and
// no patient datum, credential or query string appears anywhere in the raw envelope. A second server
// without SENTRY_WEB_DSN writes no meta tag, and its page never loads the Sentry chunk or calls the
// collector.
import { createServer, type Server } from "node:http";
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";

import { launch, openPage } from "./browser";
import { DEMO_PASSWORD, demoLogin, gql, startServer, type RunningServer } from "./server";

const SHOTS = join(import.meta.dirname, "screenshots");
const RELEASE = "carequeue-web@e2e-7.1.0";
const ENVIRONMENT = "e2e-staging";

// The patient on screen (demo data has no such person; the phone is in Ofcom's drama range).
const PATIENT = { givenName: "Zephyrine", familyName: "Quackenbush", mrn: "MRN-4471-XQ", dateOfBirth: "1961-07-23T00:00:00Z", phone: "+447700900123" };
const QUERY_SECRET = "lookup=Quackenbush-4471";

interface Received {
  method: string;
  url: string;
  body: string;
}

/** The fake Sentry: records every request; answers 200 with the CORS headers a browser SDK needs. */
function startCollector(): Promise<{ server: Server; origin: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, {
        "access-control-allow-origin": req.headers.origin ?? "*",
        "access-control-allow-methods": "POST, OPTIONS",
        "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "content-type",
        "access-control-expose-headers": "x-sentry-rate-limits, retry-after",
        "content-type": "application/json",
      });
      res.end(req.method === "POST" ? "{}" : "");
    });
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () => ok({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received })),
  );
}

let collector: Awaited<ReturnType<typeof startCollector>>;
let reporting: RunningServer;
let silent: RunningServer;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  collector = await startCollector();
  [reporting, silent] = await Promise.all([
    startServer({ SENTRY_WEB_DSN: `http://publickey@${collector.origin.slice("http://".length)}/1`, SENTRY_ENVIRONMENT: ENVIRONMENT, SENTRY_RELEASE: RELEASE }),
    startServer(),
  ]);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([reporting?.stop(), silent?.stop()]);
  await new Promise((ok) => collector?.server.close(ok));
});

async function signIn(page: Page) {
  await page.goto("/");
  await page.getByLabel("Email").fill("reception@demo.carequeue.org");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/reception**");
}

/** The Sentry envelopes the collector received for project 1 (POST /api/1/envelope/). */
const envelopes = () => collector.received.filter((r) => r.method === "POST" && r.url.startsWith("/api/1/envelope/"));

describe("web error reports", () => {
  it("ReachTheCollectorTaggedAndWithoutPatientData", async () => {
    const { context, page } = await openPage(browser, reporting.url, problems, "reception");
    onTestFailed(async () => {
      await page.screenshot({ path: join(SHOTS, "failed-error-reports.png"), fullPage: true }).catch(() => undefined);
      console.log(`problems: ${JSON.stringify(problems, null, 2)}\nreceived: ${JSON.stringify(collector.received, null, 2)}\nserver log (tail):\n${reporting.log().slice(-4000)}`);
    });

    // What the production binary serves: the meta tags and the collector's origin in connect-src.
    const index = await fetch(`${reporting.url}/reception`);
    const html = await index.text();
    expect(html).toContain(`<meta name="sentry-dsn" content="http://publickey@${collector.origin.slice("http://".length)}/1" />`);
    expect(html).toContain(`<meta name="sentry-environment" content="${ENVIRONMENT}" />`);
    expect(html).toContain(`<meta name="sentry-release" content="${RELEASE}" />`);
    const connect = index.headers.get("content-security-policy")?.match(/connect-src ([^;]*)/)?.[1].split(" ") ?? [];
    expect(connect).toContain(collector.origin);

    const admin = await demoLogin(reporting.url, "admin@demo.carequeue.org");
    await gql(
      reporting.url,
      `mutation($i: CreatePatientInput!) { createPatient(input: $i) { id } }`,
      { i: { ...PATIENT, facilityID: admin.facilityID } },
      admin.token,
    );

    await signIn(page);
    // A full load of the page with a query string: the SDK is loaded and started by this page.
    const chunk = page.waitForResponse((r) => /\/assets\/sentrySdk-[\w-]+\.js$/.test(r.url()));
    await page.goto(`/reception?${QUERY_SECRET}`);
    expect((await chunk).ok()).toBe(true);
    await page.getByLabel("Name, phone or MRN").fill(PATIENT.familyName);
    const results = page.getByRole("list", { name: "Matching patients" });
    await results.getByText(`${PATIENT.mrn}`, { exact: false }).waitFor();
    const onScreen = await results.innerText();
    expect(onScreen).toContain(PATIENT.familyName);
    expect(onScreen).toContain(PATIENT.phone);

    const session = (await page.evaluate(() => localStorage.getItem("carequeue.session"))) ?? "";
    const tokens = [...session.matchAll(/"(?:accessToken|refreshToken)":"([^"]+)"/g)].map((m) => m[1]!);
    expect(tokens.length).toBeGreaterThan(0);

    // An uncaught error whose message carries what the page shows, where it is and who is signed in.
    const sent = envelopes().length;
    await page.evaluate(
      ({ tokens }) => {
        const shown = document.querySelector('[aria-label="Matching patients"]')?.textContent ?? "";
        setTimeout(() => {
          throw new Error(`boom for ${shown} at ${location.href} as ${tokens.join(" ")}`);
        });
      },
      { tokens },
    );
    await expect.poll(() => envelopes().slice(sent).filter((e) => e.body.includes('"exception"')).length, { timeout: 15_000 }).toBe(1);
    // Nothing else is on its way (an error is reported once).
    await page.waitForTimeout(1000);
    const raw = envelopes().slice(sent).map((e) => e.body);
    const events = raw.flatMap((body) =>
      body
        .split("\n")
        .filter((line) => line.includes('"exception"'))
        .map((line) => JSON.parse(line) as { release?: string; environment?: string; exception?: { values?: { type?: string; value?: string }[] } }),
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.release).toBe(RELEASE);
    expect(events[0]!.environment).toBe(ENVIRONMENT);
    expect(events[0]!.exception?.values?.[0]?.type).toBe("Error");
    expect(events[0]!.exception?.values?.[0]?.value).toMatch(/^boom for /);

    const bornOnScreen = onScreen.match(/born ([^·]+)/)?.[1]?.trim() ?? "";
    expect(bornOnScreen).not.toBe("");
    const secrets = [
      PATIENT.givenName,
      PATIENT.familyName,
      PATIENT.mrn,
      "4471",
      PATIENT.phone,
      "7700900123",
      PATIENT.dateOfBirth.slice(0, 10),
      bornOnScreen,
      "reception@demo.carequeue.org",
      QUERY_SECRET,
      "lookup=",
      ...tokens,
    ];
    const all = collector.received.map((r) => r.url + "\n" + r.body).join("\n");
    for (const secret of secrets) expect(all, `the collector received ${secret}`).not.toContain(secret);

    expect(problems.filter((p) => !p.includes("boom for"))).toEqual([]);
    await context.close();
  });

  it("AreOffWithoutADSN", async () => {
    const before = collector.received.length;
    const html = await (await fetch(`${silent.url}/reception`)).text();
    expect(html).not.toContain('name="sentry-');
    const { context, page } = await openPage(browser, silent.url, problems, "silent");
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    await signIn(page);
    await page.goto(`/reception?${QUERY_SECRET}`);
    await page.getByLabel("Name, phone or MRN").waitFor();
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error("boom without a DSN");
      });
    });
    await page.waitForTimeout(2000);
    expect(requested.filter((u) => /sentrySdk/.test(u))).toEqual([]);
    expect(requested.filter((u) => u.startsWith(collector.origin))).toEqual([]);
    expect(collector.received.length).toBe(before);
    await context.close();
  });
});
