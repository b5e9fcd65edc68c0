// Registers public/sw.js, which keeps the app shell so a dashboard reloaded while the network is down
// still opens and can show (and later send) its saved offline actions. Production builds only: in
// development Vite serves changing files and a cache would get in the way.

/** Asks the worker to keep the files this page loaded before the worker controlled it. */
function offerLoadedFiles(worker: ServiceWorker | null | undefined): void {
  const urls = performance.getEntriesByType("resource").map((e) => e.name);
  worker?.postMessage({ type: "cache-urls", urls });
}

export function registerAppShellWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", () => {
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => offerLoadedFiles(registration.active))
      .catch(() => {
        // no service worker (private mode, plain http on a LAN address): everything else works
      });
    navigator.serviceWorker.addEventListener("controllerchange", () => offerLoadedFiles(navigator.serviceWorker.controller));
  });
}
