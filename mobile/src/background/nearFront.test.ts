import { nearFrontAlerts, parseNotified, type Notified, type TicketState } from "./nearFront";

const waiting = (position: number | null, id = "TK1"): TicketState => ({ id, code: `A-${id}`, status: "WAITING", position });
const called = (id = "TK1"): TicketState => ({ id, code: `A-${id}`, status: "CALLED", position: null });

/** Runs refreshes one after another, as the background task would, and collects the alerts. */
function run(steps: TicketState[][], start: Notified = {}) {
  let notified = start;
  return steps.map((tickets) => {
    const r = nearFrontAlerts(tickets, notified);
    notified = r.notified;
    return r.alerts.map((a) => `${a.ticketID}@${a.position}`);
  });
}

describe("nearFrontAlerts", () => {
  it("alerts once per step 3 → 2 → 1 → called", () => {
    expect(run([[waiting(5)], [waiting(3)], [waiting(2)], [waiting(1)], [called()]])).toEqual([[], ["TK1@3"], ["TK1@2"], ["TK1@1"], ["TK1@0"]]);
  });

  it("never alerts twice for the same step", () => {
    expect(run([[waiting(3)], [waiting(3)], [waiting(2)], [waiting(2)], [called()], [called()]])).toEqual([["TK1@3"], [], ["TK1@2"], [], ["TK1@0"], []]);
  });

  it("does not alert again when a ticket moves back in line", () => {
    expect(run([[waiting(1)], [waiting(3)], [waiting(2)]])).toEqual([["TK1@1"], [], []]);
  });

  it("jumps straight to the nearest step", () => {
    expect(run([[waiting(6)], [waiting(1)]])).toEqual([[], ["TK1@1"]]);
  });

  it("ignores unknown positions, position 0 and tickets being seen", () => {
    expect(run([[waiting(null)], [waiting(0)], [{ id: "TK1", code: "A", status: "IN_SERVICE", position: null }]])).toEqual([[], [], []]);
  });

  it("keeps each ticket apart", () => {
    expect(run([[waiting(3, "TK1"), waiting(4, "TK2")], [waiting(2, "TK1"), waiting(3, "TK2")]])).toEqual([["TK1@3"], ["TK1@2", "TK2@3"]]);
  });

  it("drops closed and vanished tickets from the record", () => {
    const first = nearFrontAlerts([waiting(2, "TK1"), waiting(3, "TK2")], {});
    expect(first.notified).toEqual({ TK1: 2, TK2: 3 });
    const second = nearFrontAlerts([{ id: "TK1", code: "A", status: "COMPLETED", position: null }], first.notified);
    expect(second).toEqual({ alerts: [], notified: {} });
  });

  it("keeps the record of an open ticket with nothing to say", () => {
    expect(nearFrontAlerts([{ id: "TK1", code: "A", status: "IN_SERVICE", position: null }], { TK1: 0 }).notified).toEqual({ TK1: 0 });
  });

  it("uses the threshold given", () => {
    expect(nearFrontAlerts([waiting(5)], {}, 5).alerts).toEqual([{ ticketID: "TK1", code: "A-TK1", position: 5 }]);
  });
});

describe("parseNotified", () => {
  it.each([
    ["missing", null, {}],
    ["empty object", "{}", {}],
    ["a record", '{"TK1":2,"TK2":0}', { TK1: 2, TK2: 0 }],
    ["corrupt JSON", "{not json", {}],
    ["null", "null", {}],
    ["an array", "[1,2]", {}],
    ["a number", "7", {}],
    ["non-number steps dropped", '{"TK1":"2","TK2":1}', { TK2: 1 }],
  ])("%s", (_name, raw, want) => {
    expect(parseNotified(raw)).toEqual(want);
  });
});
