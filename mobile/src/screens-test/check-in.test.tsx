import type { PatientCheckInOptionsQuery } from "@carequeue/graphql";
import { fireEvent, screen, waitFor } from "@testing-library/react-native";
import { router } from "expo-router";

import CheckIn from "../../app/check-in";
import en from "../i18n/en";
import { home, patientSession, ticket } from "../test/fixtures";
import { renderScreen } from "../test/render";
import { fakeServer, gqlError, type Answer } from "../test/server";

const session = patientSession();
const at = "2025-03-04T14:30:00Z";

function options({ queues = true, appointments = true } = {}) {
  const data: PatientCheckInOptionsQuery = {
    me: { __typename: "User", id: "US01PATIENT", patients: [{ __typename: "Patient", id: "PT1", facilityID: "FC1" }] },
    queues: {
      __typename: "QueueConnection",
      edges: (queues
        ? [
            { id: "QU1", name: "Blood tests", facilityID: "FC1" },
            { id: "QU9", name: "Elsewhere", facilityID: "FC9" }, // no record at that facility
          ]
        : []
      ).map((q) => ({
        __typename: "QueueEdge",
        node: {
          __typename: "Queue",
          id: q.id,
          name: q.name,
          department: { __typename: "Department", id: `DP-${q.id}`, name: "Outpatients", facilityID: q.facilityID, facility: { __typename: "Facility", id: q.facilityID, name: "St Mary's" } },
        },
      })),
    },
    appointments: {
      __typename: "AppointmentConnection",
      edges: appointments
        ? [
            {
              __typename: "AppointmentEdge",
              node: {
                __typename: "Appointment",
                id: "AP1",
                scheduledAt: at,
                patientID: "PT1",
                queue: {
                  __typename: "Queue",
                  id: "QU2",
                  name: "Imaging",
                  department: {
                    __typename: "Department",
                    id: "DP2",
                    name: "Radiology",
                    facility: { __typename: "Facility", id: "FC1", timezone: "Europe/London", locale: "en-GB" },
                  },
                },
              },
            },
          ]
        : [],
    },
  };
  return { data };
}

const checkedIn = (code = "A-050") => ({
  data: {
    checkIn: {
      __typename: "Ticket",
      id: "TK01NEWNEWNEWN",
      code,
      status: "WAITING",
      triageLevel: null,
      queueID: "QU1",
      statusToken: "AbCdEfGhIjKlMnOpQrStUv_-",
      position: 4,
      estimatedWaitMinutes: 20,
      targetAt: null,
      calledAt: null,
      startedAt: null,
      endedAt: null,
      recallCount: 0,
      servicePointID: null,
    },
  },
});

function server(checkIn?: Answer | (() => Answer), home_ = home([])) {
  return fakeServer({ PatientCheckInOptions: options(), PatientHome: { data: home_ }, ...(checkIn ? { CheckIn: checkIn } : {}) });
}

describe("check-in", () => {
  it("offers today's appointments and the walk-in queues at the patient's facilities", async () => {
    await renderScreen(<CheckIn />, { session, server: server() });
    const appointment = await screen.findByTestId("check-in-a:AP1");
    // 14:30 UTC in March is 14:30 in London, on a 24-hour clock whatever the phone says.
    expect(appointment).toHaveTextContent("Check in to Imaging at 14:30");
    expect(screen.getByTestId("check-in-q:QU1")).toHaveTextContent("Check in to Blood tests · Outpatients");
    expect(screen.queryByTestId("check-in-q:QU9")).toBeNull();
  });

  it("says when there is nothing to check in to", async () => {
    await renderScreen(<CheckIn />, { session, server: nothingToOffer() });
    expect(await screen.findByTestId("check-in-none")).toHaveTextContent(en.checkIn.none);
  });

  it("checks in and says the ticket's code", async () => {
    const s = server(checkedIn("A-050"));
    await renderScreen(<CheckIn />, { session, server: s });
    fireEvent.press(await screen.findByTestId("check-in-q:QU1"));
    expect(await screen.findByTestId("check-in-done")).toHaveTextContent("You're checked in: ticket A-050.");
    const input = s.calls("CheckIn")[0]!.variables.input as Record<string, unknown>;
    expect(input).toMatchObject({ queueID: "QU1", patientID: "PT1" });
    expect(typeof input.idempotencyKey).toBe("string");
    await waitFor(() => expect(s.calls("PatientHome").length).toBeGreaterThanOrEqual(2)); // my visits read again
    fireEvent.press(screen.getByText(en.visits.title));
    expect(router.replace).toHaveBeenCalledWith("/visits");
  });

  it("checks in for an appointment", async () => {
    const s = server(checkedIn());
    await renderScreen(<CheckIn />, { session, server: s });
    fireEvent.press(await screen.findByTestId("check-in-a:AP1"));
    await screen.findByTestId("check-in-done");
    expect(s.calls("CheckIn")[0]!.variables.input).toMatchObject({ queueID: "QU2", patientID: "PT1", appointmentID: "AP1" });
  });

  it("retries with the same key after a lost answer", async () => {
    const s = server({ networkError: true });
    await renderScreen(<CheckIn />, { session, server: s });
    fireEvent.press(await screen.findByTestId("check-in-q:QU1"));
    expect(await screen.findByTestId("check-in-error")).toHaveTextContent(en.common.network);
    s.on("CheckIn", checkedIn());
    fireEvent.press(screen.getByTestId("check-in-q:QU1"));
    await screen.findByTestId("check-in-done");
    const [first, second] = s.calls("CheckIn").map((r) => (r.variables.input as { idempotencyKey: string }).idempotencyKey);
    expect(second).toBe(first);
  });

  it.each([
    ["CONFLICT", "already in queue", en.checkIn.already],
    ["CONFLICT", "queue is closed", en.checkIn.closed],
    ["FORBIDDEN", "no self check-in", en.checkIn.forbidden],
  ])("explains a refusal (%s: %s) and uses a new key next time", async (code, message, text) => {
    const s = server(gqlError(code, message));
    await renderScreen(<CheckIn />, { session, server: s });
    fireEvent.press(await screen.findByTestId("check-in-q:QU1"));
    expect(await screen.findByTestId("check-in-error")).toHaveTextContent(text);
    fireEvent.press(screen.getByTestId("check-in-q:QU1"));
    await waitFor(() => expect(s.calls("CheckIn")).toHaveLength(2));
    const [first, second] = s.calls("CheckIn").map((r) => (r.variables.input as { idempotencyKey: string }).idempotencyKey);
    expect(second).not.toBe(first);
  });

  it("does not offer a queue the patient is already in", async () => {
    await renderScreen(<CheckIn />, { session, server: server(undefined, home([ticket({ queue: { id: "QU1", name: "Blood tests", department: { id: "DP1", name: "Outpatients", facility: { id: "FC1", name: "St Mary's", timezone: "Europe/London", locale: "en-GB" } } } })])) });
    await waitFor(() => expect(screen.getByTestId("check-in-q:QU1")).toHaveTextContent(`Blood tests · Outpatients · ${en.checkIn.already}`));
    expect(screen.getByTestId("check-in-q:QU1")).toBeDisabled();
  });
});

function nothingToOffer() {
  return fakeServer({ PatientCheckInOptions: options({ queues: false, appointments: false }), PatientHome: { data: home([]) } });
}
