// CareQueue's service worker: keeps the app shell (index.html and the files it has loaded) so a
// dashboard reloaded during a network outage still opens, shows its saved offline actions and sends
// them when the connection returns. It never touches the API (/graphql), GraphiQL or anything else
// the server owns: only the app's own pages and its content-hashed assets.
//
//   pages   network first (so a deploy shows at once), the cached shell when the network fails
//   assets  cache first: their names change with their content, a cached copy is never stale
const VERSION = "v1";
const SHELL = `carequeue-shell-${VERSION}`;
const ASSETS = `carequeue-assets-${VERSION}`;
const MAX_ASSETS = 300;
const PAGE_TIMEOUT_MS = 5000;

// The app's client-side routes (everything else on this origin belongs to the server).
const APP_PAGES = /^\/(?:$|login$|reception$|clinician$|kiosk(?:\/|$)|admin(?:\/|$)|board\/|t\/|s\/)/;

// The shell is stored at once: the page that registers the worker was loaded before it existed.
self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      try {
        await (await caches.open(SHELL)).add(new Request("/", { cache: "no-cache" }));
      } catch {
        // offline while installing: the next page load stores it
      }
      await self.skipWaiting();
    })(),
  );
});

// The page lists what it loaded before the worker controlled it (scripts, styles, language files).
self.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.type !== "cache-urls" || !Array.isArray(data.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(ASSETS);
      for (const raw of data.urls) {
        const url = new URL(String(raw), self.location.origin);
        if (url.origin !== self.location.origin || !url.pathname.startsWith("/assets/")) continue;
        if (await cache.match(url.pathname)) continue;
        try {
          await cache.add(url.pathname);
        } catch {
          // gone or offline: skip
        }
      }
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("carequeue-") && name !== SHELL && name !== ASSETS) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && APP_PAGES.test(url.pathname)) {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/assets/") || url.pathname === "/favicon.svg") {
    event.respondWith(asset(request));
  }
});

async function page(request) {
  const cache = await caches.open(SHELL);
  try {
    const response = await withTimeout(fetch(request), PAGE_TIMEOUT_MS);
    if (response.ok && (response.headers.get("content-type") || "").startsWith("text/html")) {
      await cache.put("/", response.clone()); // every app page is the same index.html
    }
    return response;
  } catch (err) {
    const shell = await cache.match("/");
    if (shell) return shell;
    throw err;
  }
}

async function asset(request) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
    const keys = await cache.keys();
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ASSETS))) await cache.delete(old);
  }
  return response;
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
