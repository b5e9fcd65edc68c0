// The CareQueue clients tests created, disposed after each test by setup.ts.
import type { CareQueueClient } from "@carequeue/graphql";

const live: CareQueueClient[] = [];

export function track(client: CareQueueClient): CareQueueClient {
  live.push(client);
  return client;
}

export function disposeClients(): void {
  for (const c of live.splice(0)) c.dispose();
}
