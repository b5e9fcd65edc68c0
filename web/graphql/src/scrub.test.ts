import { describe, expect, it } from "vitest";

import { errorReports, FILTERED, patientValues, scrubEvent, scrubText } from "./scrub";

const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl";
const patientData = ["Zephyrine", "Quackenbush", "MRN-4471-XQ", "698765432", "1961-07-23", "zq@example.org", jwt, "k3XqP9sVn2LmW8rTz4YbQ7uE"];

describe("scrubText", () => {
  it.each([
    [`no rows for "Zephyrine Quackenbush"`, `no rows for ${FILTERED}`],
    [`duplicate key (mrn)=(MRN-4471-XQ)`, `duplicate key ${FILTERED}`],
    [`phone +33 6 98 76 54 32 rejected`, `phone ${FILTERED} rejected`],
    [`dob 1961-07-23T00:00:00Z`, `dob ${FILTERED}`],
    [`mail zq@example.org`, `mail ${FILTERED}`],
    [`Authorization: Bearer ${jwt}`, `Authorization: ${FILTERED}`],
    [`GET /t/k3XqP9sVn2LmW8rTz4YbQ7uE`, `GET /t/${FILTERED}`],
    [`Cannot read properties of undefined (reading 'givenName')`, `Cannot read properties of undefined (reading ${FILTERED})`],
    [`Failed to fetch dynamically imported module`, `Failed to fetch dynamically imported module`],
    [`TicketRow_ticketFragment is undefined`, `TicketRow_ticketFragment is undefined`],
  ])("%s", (input, want) => {
    expect(scrubText(input)).toBe(want);
  });
});

describe("scrubText on what a page shows", () => {
  it("filters dates as the apps format them and query strings inside a message", () => {
    for (const date of ["23/07/1961", "23.07.1961", "23 Jul 1961", "23 juil. 1961", "23 de julio de 1961", "Jul 23, 1961"]) {
      expect(scrubText(`born ${date} ·`)).toBe(`born ${FILTERED} ·`);
    }
    expect(scrubText("at http://h/reception?lookup=Quack&x=1 now")).toBe(`at http://h/reception${FILTERED} now`);
    expect(scrubText("Cannot read properties of undefined (reading 'x')?")).toBe(`Cannot read properties of undefined (reading ${FILTERED})?`);
  });

  it("filters the known values wherever they appear, whatever their case", () => {
    const known = patientValues({
      "Patient:P1": { __typename: "Patient", id: "P1", givenName: "Zephyrine", familyName: "Quackenbush", language: "en", mrn: null },
      "Patient:P2": { __typename: "Patient", id: "P2", givenName: "Jo", familyName: "Van Dyke" },
      "Queue:Q1": { __typename: "Queue", id: "Q1", name: "Minor injuries" },
    });
    expect(known).toEqual(["Quackenbush", "Zephyrine", "Van Dyke", "Dyke", "Van"]);
    expect(scrubText("boom for ZEPHYRINE Quackenbush and Jo Van Dyke in Minor injuries", known)).toBe(
      `boom for ${FILTERED} ${FILTERED} and Jo ${FILTERED} in Minor injuries`,
    );
  });
});

describe("scrubEvent", () => {
  it("keeps the fault and drops or filters everything that could name a patient", () => {
    const event = {
      release: "v1.2.3",
      environment: "staging",
      message: `check-in failed for 'Zephyrine'`,
      transaction: "/t/k3XqP9sVn2LmW8rTz4YbQ7uE",
      user: { id: "u1", email: "zq@example.org", ip_address: "10.0.0.1" },
      breadcrumbs: [{ category: "fetch", data: { url: "/graphql", body: `{"variables":{"familyName":"Quackenbush"}}` } }],
      extra: { variables: { mrn: "MRN-4471-XQ" } },
      request: {
        method: "GET",
        url: "https://q.example.org/t/k3XqP9sVn2LmW8rTz4YbQ7uE?mrn=MRN-4471-XQ#x",
        query_string: "mrn=MRN-4471-XQ",
        cookies: { s: jwt },
        data: { phone: "698765432" },
        headers: { Authorization: `Bearer ${jwt}`, Cookie: `s=${jwt}`, "User-Agent": "x", "Content-Type": "application/json" },
      },
      tags: { request_id: "NQ7T3ZK2M4XW6C5VYB2HJ4D3FA", route: "/t/k3XqP9sVn2LmW8rTz4YbQ7uE", retried: true },
      contexts: {
        patient: { givenName: "Zephyrine", queue: "C", born: "1961-07-23", visits: ["Quackenbush"] },
        state: { form: { mrn: "MRN-4471-XQ", step: 2, hint: "zq@example.org" } },
      },
      exception: {
        values: [
          {
            value: `GraphQL error: patient "Zephyrine Quackenbush" born 1961-07-23`,
            stacktrace: {
              frames: [
                {
                  filename: "https://q.example.org/assets/reception-abc123.js",
                  context_line: `const name = "Zephyrine";`,
                  pre_context: ["Quackenbush"],
                  post_context: ["698765432"],
                  vars: { phone: "698765432" },
                },
              ],
            },
          },
        ],
      },
    };
    const out = scrubEvent(event);
    const sent = JSON.stringify(out);
    for (const secret of patientData) expect(sent).not.toContain(secret);
    expect(out.release).toBe("v1.2.3");
    expect(out.environment).toBe("staging");
    expect(out.user).toBeUndefined();
    expect(out.breadcrumbs).toBeUndefined();
    expect(out.extra).toBeUndefined();
    expect(out.request).toEqual({ method: "GET", url: `https://q.example.org/t/${FILTERED}`, headers: { "Content-Type": "application/json" } });
    expect(out.tags).toEqual({ request_id: "NQ7T3ZK2M4XW6C5VYB2HJ4D3FA", route: `/t/${FILTERED}`, retried: true });
    expect(out.contexts).toEqual({ patient: { queue: "C", born: FILTERED }, state: { form: { step: 2, hint: FILTERED } } });
    expect(out.exception?.values?.[0]?.value).toBe(`GraphQL error: patient ${FILTERED} born ${FILTERED}`);
    expect(out.exception?.values?.[0]?.stacktrace?.frames).toEqual([{ filename: "https://q.example.org/assets/reception-abc123.js" }]);
    expect(out.message).toBe(`check-in failed for ${FILTERED}`);
  });
});

describe("errorReports", () => {
  it("reports nothing until started, and nothing after a load that failed", async () => {
    const sent: unknown[] = [];
    const sdk = { captureException: (e: unknown) => sent.push(e) };
    const reports = errorReports<typeof sdk>();
    reports.report(new Error("before"));
    expect(await reports.start(() => Promise.reject(new Error("offline")))).toBeNull();
    reports.report(new Error("after a failed load"));
    expect(await reports.start(null)).toBeNull();
    expect(await reports.start(async () => sdk)).toBe(sdk);
    const error = new Error("reported");
    reports.report(error);
    await Promise.resolve();
    await Promise.resolve();
    expect(sent).toEqual([error]);
  });
});
