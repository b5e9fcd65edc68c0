// Subscribes to CareQueue with graphql-ws, the reference client of the graphql-transport-ws protocol,
// so a test proves the server speaks the protocol as its authors wrote it, not only as our Go client
// reads it.
//
//   node subscribe.mjs <wsUrl> <token> <queryJSON> <variablesJSON> <expectCount> <timeoutMs>
//
// queryJSON is the query as a JSON string (so any quoting survives the command line); token may be
// empty for an anonymous connection. Prints each `next` payload as one JSON line on stdout and exits 0
// after expectCount of them; exits 1 with the reason on stderr on an error, a close or the timeout.
// CAREQUEUE_ORIGIN sets the Origin header (default http://127.0.0.1, the e2e tests' PUBLIC_URL).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, queryJSON, variablesJSON, expectArg, timeoutArg] = process.argv.slice(2);
if (!url || queryJSON === undefined || !expectArg || !timeoutArg) {
  process.stderr.write('usage: node subscribe.mjs <wsUrl> <token> <queryJSON> <variablesJSON> <expectCount> <timeoutMs>\n');
  process.exit(2);
}
const query = JSON.parse(queryJSON);
const variables = variablesJSON ? JSON.parse(variablesJSON) : {};
const expectCount = Number(expectArg);
const timeoutMs = Number(timeoutArg);
const origin = process.env.CAREQUEUE_ORIGIN ?? 'http://127.0.0.1';

// Node 20 has no global WebSocket client in every release, and browsers always send Origin: ws does
// neither on its own, so a subclass adds the header the server checks.
class OriginWebSocket extends WebSocket {
  constructor(address, protocols) {
    super(address, protocols, { origin });
  }
}

let client;
let finished = false;

function describe(err) {
  if (Array.isArray(err)) return JSON.stringify(err); // GraphQL errors
  if (err && typeof err === 'object' && 'code' in err && 'reason' in err) {
    return `connection closed: ${err.code} ${err.reason}`; // a CloseEvent
  }
  if (err instanceof Error) return err.stack ?? err.message;
  if (err && typeof err === 'object' && 'message' in err) {
    return `connection error: ${err.message}`; // ws's ErrorEvent, e.g. a refused upgrade
  }
  return String(err);
}

function finish(code, message) {
  if (finished) return;
  finished = true;
  clearTimeout(timer);
  if (message) process.stderr.write(message + '\n');
  Promise.resolve(client?.dispose())
    .catch(() => {})
    .finally(() => process.stdout.write('', () => process.exit(code)));
}

const timer = setTimeout(() => finish(1, `timeout after ${timeoutMs} ms with fewer than ${expectCount} results`), timeoutMs);

client = createClient({
  url,
  webSocketImpl: OriginWebSocket,
  connectionParams: token ? { authorization: 'Bearer ' + token } : {},
  retryAttempts: 0,
  lazy: false,
  onNonLazyError: (err) => finish(1, describe(err)),
});

let received = 0;
client.subscribe(
  { query, variables },
  {
    next: (result) => {
      if (finished) return;
      process.stdout.write(JSON.stringify(result) + '\n');
      if (++received >= expectCount) finish(0);
    },
    error: (err) => finish(1, describe(err)),
    complete: () => finish(1, `the server completed the subscription after ${received} of ${expectCount} results`),
  },
);
