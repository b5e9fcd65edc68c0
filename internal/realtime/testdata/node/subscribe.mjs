// Subscribes to CareQueue with graphql-ws, the reference client of the graphql-transport-ws protocol,
// so a test proves the server speaks the protocol as its authors wrote it, not only as our Go client
// reads it.
//
//   node subscribe.mjs <wsUrl> <token> <queryJSON> <variablesJSON> <expectCount> <timeoutMs>
//
// token may be empty for an anonymous connection. Prints each `next` payload as one JSON line on
// stdout and exits 0 after expectCount of them; exits 1 with the reason on stderr on an error, a close
// or the timeout. CAREQUEUE_ORIGIN sets the Origin header (see common.mjs).
import { createClient } from 'graphql-ws';
import { args, OriginWebSocket, runner } from './common.mjs';

const a = args('subscribe.mjs');
let client;
const run = runner(a, () => client?.dispose());

client = createClient({
  url: a.url,
  webSocketImpl: OriginWebSocket,
  connectionParams: a.token ? { authorization: 'Bearer ' + a.token } : {},
  retryAttempts: 0,
  lazy: false,
  onNonLazyError: run.fail,
});

client.subscribe(
  { query: a.query, variables: a.variables },
  { next: run.result, error: run.fail, complete: run.completed },
);
