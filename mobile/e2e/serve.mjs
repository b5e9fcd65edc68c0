// Serves the web export (dist/web) and forwards /graphql (HTTP and WebSocket) to a CareQueue server,
// so the app and the API share one origin (the server sends no CORS headers yet). For the browser
// tests and for trying the web build by hand:
//   node e2e/serve.mjs --port 8081 --api http://127.0.0.1:8080 [--dir dist/web]
import { createReadStream, existsSync, statSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".css": "text/css",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".wav": "audio/wav",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
};

/** Starts the server; resolves with { url, close() }. */
export function serve({ dir, api, port = 0 }) {
  const target = new URL(api);
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/graphql" || url.pathname.startsWith("/graphql/")) {
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      upstream.on("error", () => {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end("CareQueue server unreachable");
      });
      req.pipe(upstream);
      return;
    }
    // Static files; any other path is a client-side route (/t/<token>, /visits): the app's index.html.
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(root, "index.html");
    res.writeHead(200, {
      "content-type": types[path.extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    createReadStream(file).pipe(res);
  });
  // WebSocket upgrades go through as raw TCP, with the Origin rewritten to the server's own (the
  // server checks Origin against ALLOWED_ORIGINS, which names its PUBLIC_URL).
  // Tests cut the sockets (a phone losing its connection mid-queue) with blockSockets(true).
  const open = new Set();
  let blocked = false;
  server.on("upgrade", (req, socket, head) => {
    if (blocked) {
      socket.destroy();
      return;
    }
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    const up = net.connect(Number(target.port), target.hostname, () => {
      const headers = { ...req.headers, host: target.host };
      if (headers.origin) headers.origin = target.origin;
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), "", ""];
      up.write(lines.join("\r\n"));
      if (head?.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    const drop = () => {
      up.destroy();
      socket.destroy();
    };
    up.on("error", drop);
    socket.on("error", drop);
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const { port: p } = server.address();
      resolve({
        url: `http://127.0.0.1:${p}`,
        /** While on, every WebSocket is cut and new ones are refused. */
        blockSockets(on) {
          blocked = on;
          if (on) for (const s of open) s.destroy();
        },
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : def;
  };
  const here = path.dirname(fileURLToPath(import.meta.url));
  const s = await serve({
    dir: arg("dir", path.join(here, "..", "dist", "web")),
    api: arg("api", "http://127.0.0.1:8080"),
    port: Number(arg("port", "8081")),
  });
  console.log(`patient app (web build) on ${s.url}, API from ${arg("api", "http://127.0.0.1:8080")}`);
}
