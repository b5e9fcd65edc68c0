// Subscribes to CareQueue through Apollo Client 4's GraphQLWsLink, the stack the web and mobile apps
// use, so a test proves a subscription survives Apollo's link chain and cache, not only the bare
// graphql-ws client that subscribe.mjs drives.
//
//   node apollo.mjs <wsUrl> <token> <queryJSON> <variablesJSON> <expectCount> <timeoutMs>
//
// Same contract as subscribe.mjs, except that each line on stdout is a result's `data` (what an app
// reads), not the whole payload. Exits 0 after expectCount results; exits 1 with the reason on stderr
// on an error, a completion or the timeout. CAREQUEUE_ORIGIN sets the Origin header.
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, queryJSON, variablesJSON, expectArg, timeoutArg] = process.argv.slice(2);
if (!url || queryJSON === undefined || !expectArg || !timeoutArg) {
  process.stderr.write('usage: node apollo.mjs <wsUrl> <token> <queryJSON> <variablesJSON> <expectCount> <timeoutMs>\n');
  process.exit(2);
}
const query = JSON.parse(queryJSON);
const variables = variablesJSON ? JSON.parse(variablesJSON) : {};
const expectCount = Number(expectArg);
const timeoutMs = Number(timeoutArg);
const origin = process.env.CAREQUEUE_ORIGIN ?? 'http://127.0.0.1';

// GraphQLWsLink reads the global WebSocket.CLOSED to classify socket errors; Node 20 has no global
// WebSocket by default, so without this a refused connection would throw a ReferenceError instead.
globalThis.WebSocket ??= WebSocket;

// ws sends no Origin on its own and browsers always do: a subclass adds the header the server checks.
class OriginWebSocket extends WebSocket {
  constructor(address, protocols) {
    super(address, protocols, { origin });
  }
}

let wsClient;
let subscription;
let finished = false;

function describe(err) {
  if (Array.isArray(err)) return JSON.stringify(err); // GraphQL errors
  if (err && typeof err === 'object' && 'code' in err && 'reason' in err) {
    return `connection closed: ${err.code} ${err.reason}`; // a CloseEvent
  }
  if (err instanceof Error) {
    // CombinedGraphQLErrors keeps the server's errors, which say more than its message.
    return err.errors ? `${err.message}: ${JSON.stringify(err.errors)}` : (err.stack ?? err.message);
  }
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
  subscription?.unsubscribe();
  Promise.resolve(wsClient?.dispose())
    .catch(() => {})
    .finally(() => process.stdout.write('', () => process.exit(code)));
}

const timer = setTimeout(() => finish(1, `timeout after ${timeoutMs} ms with fewer than ${expectCount} results`), timeoutMs);

wsClient = createClient({
  url,
  webSocketImpl: OriginWebSocket,
  connectionParams: token ? { authorization: 'Bearer ' + token } : {},
  retryAttempts: 0,
  lazy: false,
  onNonLazyError: (err) => finish(1, describe(err)),
});

const client = new ApolloClient({ link: new GraphQLWsLink(wsClient), cache: new InMemoryCache() });

let received = 0;
// Apollo 4 reports GraphQL and link errors as result.error and then completes, so `next` checks for them.
subscription = client.subscribe({ query: gql(query), variables }).subscribe({
  next: (result) => {
    if (finished) return;
    if (result.error) {
      finish(1, describe(result.error));
      return;
    }
    process.stdout.write(JSON.stringify(result.data) + '\n');
    if (++received >= expectCount) finish(0);
  },
  error: (err) => finish(1, describe(err)),
  complete: () => finish(1, `the server completed the subscription after ${received} of ${expectCount} results`),
});
