// What subscribe.mjs and apollo.mjs share: their command line, the WebSocket class that sends the
// Origin header, error descriptions, and the exit protocol (a result count, a timeout, one exit).
import WebSocket from 'ws';

// args reads `<wsUrl> <token> <queryJSON> <variablesJSON> <expectCount> <timeoutMs>`; queryJSON is the
// query as a JSON string, so any quoting survives the command line. It exits 2 on a bad call.
export function args(script) {
  const [url, token, queryJSON, variablesJSON, expectArg, timeoutArg] = process.argv.slice(2);
  if (!url || queryJSON === undefined || !expectArg || !timeoutArg) {
    process.stderr.write(`usage: node ${script} <wsUrl> <token> <queryJSON> <variablesJSON> <expectCount> <timeoutMs>\n`);
    process.exit(2);
  }
  return {
    url,
    token,
    query: JSON.parse(queryJSON),
    variables: variablesJSON ? JSON.parse(variablesJSON) : {},
    expectCount: Number(expectArg),
    timeoutMs: Number(timeoutArg),
  };
}

const origin = process.env.CAREQUEUE_ORIGIN ?? 'http://127.0.0.1';

// OriginWebSocket is ws with the Origin header browsers always send (CAREQUEUE_ORIGIN, default
// http://127.0.0.1, the e2e tests' PUBLIC_URL): the server checks it, and ws sends none on its own.
export class OriginWebSocket extends WebSocket {
  constructor(address, protocols) {
    super(address, protocols, { origin });
  }
}

export function describe(err) {
  if (Array.isArray(err)) return JSON.stringify(err); // GraphQL errors
  if (err && typeof err === 'object' && 'code' in err && 'reason' in err) {
    return `connection closed: ${err.code} ${err.reason}`; // a CloseEvent
  }
  if (err instanceof Error) {
    // Apollo's CombinedGraphQLErrors keeps the server's errors, which say more than its message.
    return err.errors ? `${err.message}: ${JSON.stringify(err.errors)}` : (err.stack ?? err.message);
  }
  if (err && typeof err === 'object' && 'message' in err) {
    return `connection error: ${err.message}`; // ws's ErrorEvent, e.g. a refused upgrade
  }
  return String(err);
}

// runner prints results as JSON lines and exits once: 0 after expectCount results, 1 with a reason on
// stderr otherwise (error, early completion, timeout). cleanup releases the client before exiting.
export function runner({ expectCount, timeoutMs }, cleanup) {
  let finished = false;
  let received = 0;
  const finish = (code, message) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    if (message) process.stderr.write(message + '\n');
    Promise.resolve()
      .then(cleanup)
      .catch(() => {})
      .finally(() => process.stdout.write('', () => process.exit(code)));
  };
  const timer = setTimeout(() => finish(1, `timeout after ${timeoutMs} ms with fewer than ${expectCount} results`), timeoutMs);
  return {
    finish,
    fail: (err) => finish(1, describe(err)),
    result: (value) => {
      if (finished) return;
      process.stdout.write(JSON.stringify(value) + '\n');
      if (++received >= expectCount) finish(0);
    },
    completed: () => finish(1, `the server completed the subscription after ${received} of ${expectCount} results`),
  };
}
