// The one CareQueue client of the web app, talking to the origin that served the page.
import { createCareQueueClient, type CareQueueClient } from "@carequeue/graphql";

import { pageActivity, touchedSince } from "./idle";
import { localTokenStorage } from "./tokenStorage";

export function createWebClient(): CareQueueClient {
  const wsUrl = new URL("/graphql", location.href);
  wsUrl.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  return createCareQueueClient({
    httpUrl: "/graphql",
    wsUrl: wsUrl.toString(),
    storage: localTokenStorage(),
    // Sessions with an idle timeout refresh only after a touch: see idle.ts.
    mayRefresh: (s) => !s.idleTimeoutSeconds || touchedSince(pageActivity, s.refreshedAt),
  });
}
