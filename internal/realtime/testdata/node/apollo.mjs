// Subscribes to CareQueue through Apollo Client 4's GraphQLWsLink, the stack the web and mobile apps
// use, so a test proves a subscription survives Apollo's link chain and cache, not only the bare
// graphql-ws client that subscribe.mjs drives.
//
//   node apollo.mjs <wsUrl> <token> <queryJSON> <variablesJSON> <expectCount> <timeoutMs>
//
// Same contract as subscribe.mjs, except that each line on stdout is a result's `data` (what an app
// reads), not the whole payload.
import { ApolloClient, InMemoryCache, gql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { args, OriginWebSocket, runner } from './common.mjs';

// GraphQLWsLink reads the global WebSocket.CLOSED to classify socket errors; Node 20 has no global
// WebSocket by default, so without this a refused connection would throw a ReferenceError instead.
globalThis.WebSocket ??= WebSocket;

const a = args('apollo.mjs');
let wsClient;
let subscription;
const run = runner(a, () => {
  subscription?.unsubscribe();
  return wsClient?.dispose();
});

wsClient = createClient({
  url: a.url,
  webSocketImpl: OriginWebSocket,
  connectionParams: a.token ? { authorization: 'Bearer ' + a.token } : {},
  retryAttempts: 0,
  lazy: false,
  onNonLazyError: run.fail,
});

const client = new ApolloClient({ link: new GraphQLWsLink(wsClient), cache: new InMemoryCache() });

// Apollo 4 reports GraphQL and link errors as result.error and then completes, so each result is checked.
subscription = client.subscribe({ query: gql(a.query), variables: a.variables }).subscribe({
  next: (result) => (result.error ? run.fail(result.error) : run.result(result.data)),
  error: run.fail,
  complete: run.completed,
});
