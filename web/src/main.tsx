import "./index.css";

import { CareQueueProvider, patientValues } from "@carequeue/graphql";
import { StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";

import { createWebClient } from "./app/client";
import { startErrorReports } from "./app/errorReports";
import { pageActivity } from "./app/idle";
import { createRouter } from "./app/router";
import { clearOnSignOut } from "./app/signOut";
import { initI18n } from "./i18n";
import { OfflineProvider } from "./offline/OfflineProvider";
import { registerAppShellWorker } from "./offline/serviceWorker";
import { IdleLogoff } from "./shell/IdleLogoff";

const client = createWebClient();
// Only when the server named a DSN (SENTRY_WEB_DSN); the patients in the cache are filtered from events.
void startErrorReports(() => patientValues(client.apollo.cache.extract() as Record<string, unknown>));
initI18n();
if (import.meta.env.PROD) registerAppShellWorker();
pageActivity.listen(window);
clearOnSignOut(client);
const router = createRouter();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <CareQueueProvider client={client}>
      <OfflineProvider>
        {/* Until the language file arrives (one small request) there is no text to show. */}
        <Suspense fallback={<div className="min-h-screen" aria-busy="true" />}>
          <IdleLogoff />
          <RouterProvider router={router} />
        </Suspense>
      </OfflineProvider>
    </CareQueueProvider>
  </StrictMode>,
);
