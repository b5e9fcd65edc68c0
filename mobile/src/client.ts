// The patient app's CareQueue client: the shared Apollo set-up (@carequeue/graphql) with the session in
// secure storage and the server from app.config.ts.
import { createCareQueueClient, type CareQueueClient } from "@carequeue/graphql";

import { apiUrls, configuredApiUrl, pageOrigin, type ApiUrls } from "./config";
import { secureTokenStorage } from "./storage/tokenStorage";

export interface PatientClient {
  urls: ApiUrls;
  client: CareQueueClient;
}

export function createPatientClient(configured = configuredApiUrl()): PatientClient {
  const urls = apiUrls(configured, pageOrigin());
  const client = createCareQueueClient({ httpUrl: urls.httpUrl, wsUrl: urls.wsUrl, storage: secureTokenStorage() });
  return { urls, client };
}
