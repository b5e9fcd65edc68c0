// The load tool's Node peer: a graphql-js + graphql-ws server (graphql-transport-ws over ws) with
// in-process pub/sub and no database, answering the same two subscriptions the load tool sends to
// CareQueue (ticketChanged and boardChanged, same fields, same shapes). graphql-ws executes the
// subscription's selection set and JSON-encodes the result once per subscriber per event, as
// graphql-js servers do.
//
//   node server.mjs <queues> <tickets per queue>
//
// It listens on 127.0.0.1 (a free port), prints "addr <host:port>", then obeys one command a line on
// stdin: "call <queue index>" (the queue's first waiting ticket becomes CALLED; the queue's and the
// board's watchers are sent their new state; answers "called <ticket id>", or "called -" when nobody
// waits) and "quit". The load tool (cmd/carequeue-load/nodepeer.go) starts and drives it.
import { createInterface } from "node:readline";
import { buildSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";

const [queues, perQueue] = process.argv.slice(2).map(Number);
if (!(queues > 0 && perQueue > 0)) {
  console.error("usage: node server.mjs <queues> <tickets per queue>");
  process.exit(2);
}

// The same types and field names as CareQueue's schema (schema/carequeue.graphql), cut to what the
// load tool selects.
const schema = buildSchema(`
  scalar Time
  enum TicketStatus { WAITING CALLED IN_SERVICE DONE NO_SHOW CANCELLED TRANSFERRED }
  type Ticket { id: ID! code: String! status: TicketStatus! }
  type TicketUpdate { ticket: Ticket! position: Int estimatedWaitMinutes: Int version: Int! }
  type BoardEntry { code: String! servicePointName: String! calledAt: Time! }
  type BoardSnapshot {
    departmentID: ID! departmentName: String! facilityName: String! nowCalling: [BoardEntry!]!
    recentCalls: [BoardEntry!]! waitingCount: Int! language: String! locale: String! timezone: String!
  }
  type Query { ping: Boolean }
  type Subscription {
    ticketChanged(ticketID: ID!): TicketUpdate!
    boardChanged(departmentID: ID!): BoardSnapshot!
  }
`);

// The in-memory hospital: queues of tickets, as CareQueue's "Load" department after -setup.
const minutesPerPatient = 6;
const prefix = (i) => "L" + (i < 26 ? "" : String.fromCharCode(65 + Math.floor((i - 26) / 26) % 26)) + String.fromCharCode(65 + (i < 26 ? i : (i - 26) % 26));
const tickets = new Map(); // id -> ticket
const lines = []; // per queue: its state
for (let q = 0; q < queues; q++) {
  const waiting = [];
  for (let j = 0; j < perQueue; j++) {
    const t = { id: `T${q}-${j}`, queue: q, code: `${prefix(q)}-${String(j + 1).padStart(3, "0")}`, status: "WAITING", calledAt: null };
    tickets.set(t.id, t);
    waiting.push(t);
  }
  lines.push({ version: 1, waiting, head: 0, positions: null });
}
// positions is computed once per change of a queue and shared by all its watchers.
function positionsOf(line) {
  if (!line.positions) {
    line.positions = new Map();
    for (let i = line.head; i < line.waiting.length; i++) line.positions.set(line.waiting[i].id, i - line.head + 1);
  }
  return line.positions;
}
function ticketUpdate(t) {
  const line = lines[t.queue];
  const position = t.status === "WAITING" ? positionsOf(line).get(t.id) : null;
  return {
    ticket: { id: t.id, code: t.code, status: t.status },
    position,
    estimatedWaitMinutes: position == null ? null : (position - 1) * minutesPerPatient,
    version: line.version,
  };
}

const calls = []; // every call, newest last
let waitingTotal = queues * perQueue;
let board = null; // the current board, built once per change
function boardSnapshot(departmentID) {
  if (!board) {
    const entry = (t) => ({ code: t.code, servicePointName: "Load desk", calledAt: t.calledAt });
    const newest = calls.slice(-8).reverse();
    board = {
      departmentName: "Load", facilityName: "Demo General Hospital", waitingCount: waitingTotal,
      nowCalling: newest.filter((t) => t.status === "CALLED").map(entry), recentCalls: newest.slice(0, 5).map(entry),
      language: "en", locale: "en-GB", timezone: "Europe/London",
    };
  }
  return { ...board, departmentID };
}

// In-process pub/sub: a topic is a set of listeners; each subscription is an async iterator fed by one.
const topics = new Map();
function publish(topic) {
  for (const push of topics.get(topic) ?? []) push();
}
// listen returns an async iterator that yields state() now and after every publish to topic. Like
// CareQueue, a subscriber that has not taken the last state yet is given only the newest one.
function listen(topic, state) {
  let pending = true;
  let wake = null;
  let done = false;
  const push = () => {
    if (wake) {
      const w = wake;
      wake = null;
      w({ value: state(), done: false });
    } else pending = true;
  };
  if (!topics.has(topic)) topics.set(topic, new Set());
  topics.get(topic).add(push);
  const end = () => {
    done = true;
    topics.get(topic).delete(push);
    if (wake) wake({ value: undefined, done: true });
    wake = null;
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next() {
      if (done) return Promise.resolve({ value: undefined, done: true });
      if (pending) {
        pending = false;
        return Promise.resolve({ value: state(), done: false });
      }
      return new Promise((resolve) => (wake = resolve));
    },
    return: end,
    throw: end,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

// graphql-ws passes roots.subscription as the root value: graphql-js calls the field's function for
// the event stream and executes the selection set on every event ({ fieldName: value }).
const roots = {
  subscription: {
    ticketChanged({ ticketID }) {
      const t = tickets.get(ticketID);
      if (!t) throw new Error("ticket not found");
      return listen(`queue:${t.queue}`, () => ({ ticketChanged: ticketUpdate(t) }));
    },
    boardChanged({ departmentID }) {
      return listen("board", () => ({ boardChanged: boardSnapshot(departmentID) }));
    },
  },
};

function call(q) {
  const line = lines[q];
  if (!line || line.head >= line.waiting.length) return "-";
  const t = line.waiting[line.head++];
  t.status = "CALLED";
  t.calledAt = new Date().toISOString();
  line.version++;
  line.positions = null;
  waitingTotal--;
  calls.push(t);
  board = null;
  publish(`queue:${q}`);
  publish("board");
  return t.id;
}

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/graphql" });
useServer(
  {
    schema,
    roots,
    // Signed in as CareQueue's subscribers are: a bearer token in connection_init (not checked here).
    onConnect: (ctx) => typeof ctx.connectionParams?.authorization === "string",
  },
  wss,
);
wss.on("listening", () => {
  const { address, port } = wss.address();
  process.stdout.write(`addr ${address}:${port}\n`);
});

const rl = createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const [cmd, arg] = line.trim().split(/\s+/);
  if (cmd === "call") {
    process.stdout.write(`called ${call(Number(arg))}\n`);
  } else if (cmd === "quit") {
    rl.close();
  } else {
    console.error(`nodepeer: unknown command ${JSON.stringify(line)}`);
    process.exit(2);
  }
});
rl.on("close", () => {
  for (const c of wss.clients) c.terminate();
  wss.close(() => process.exit(0));
});
