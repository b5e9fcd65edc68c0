import "./index.css";

import { CareQueueProvider } from "@carequeue/graphql";
import { StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";

import { createWebClient } from "./app/client";
import { createRouter } from "./app/router";
import { initI18n } from "./i18n";
import { OfflineProvider } from "./offline/OfflineProvider";
import { registerAppShellWorker } from "./offline/serviceWorker";

initI18n();
if (import.meta.env.PROD) registerAppShellWorker();
const client = createWebClient();
const router = createRouter();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <CareQueueProvider client={client}>
      <OfflineProvider>
        {/* Until the language file arrives (one small request) there is no text to show. */}
        <Suspense fallback={<div className="min-h-screen" aria-busy="true" />}>
          <RouterProvider router={router} />
        </Suspense>
      </OfflineProvider>
    </CareQueueProvider>
  </StrictMode>,
);
