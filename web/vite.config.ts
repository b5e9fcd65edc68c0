// Vite builds the web app into site/app/ (embedded into the Go binary by embed.go). `npm run dev` serves
// it with hot reload and proxies /graphql (HTTP and WebSocket) to the Go server on :8080.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

const api = process.env.CAREQUEUE_API ?? "http://localhost:8080";

/**
 * Writes a .gz beside every text asset, which the Go server sends to clients that accept gzip.
 */
function goEmbed(): Plugin {
  return {
    name: "carequeue-go-embed",
    apply: "build",
    // After every other plugin has finished with the files: compress what is on disk.
    writeBundle(options, bundle) {
      const dir = options.dir ?? "site/app";
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css|svg|json|txt)$/.test(fileName)) continue;
        const file = join(dir, fileName);
        writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), tailwindcss(), goEmbed()],
  build: {
    outDir: "site/app",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // The initial JavaScript budget (250 KB gzipped) is checked by scripts/report-size.mjs.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Name route chunks after their route (reception-<hash>.js), so size reports read clearly.
        chunkFileNames: (chunk) => {
          const route = chunk.facadeModuleId?.match(/routes\/([^/]+)\/route\.tsx$/)?.[1];
          return `assets/${route ?? "[name]"}-[hash].js`;
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      // changeOrigin: false keeps Host = the dev server's, so the Go server's WebSocket Origin check
      // (same host) passes for the proxied socket. The endpoint only, as a RegExp: a "/graphql" prefix
      // would also catch /graphql/src/… (the shared package's sources, which Vite serves itself).
      "^/graphql(\\?.*)?$": { target: api, ws: true, changeOrigin: false },
      "/graphiql": { target: api, changeOrigin: false },
      "/admin/reports.csv": { target: api, changeOrigin: false },
      "/admin/jobs": { target: api, changeOrigin: false },
    },
  },
  test: {
    name: "web",
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    // Flow tests render whole screens; on a loaded 2-core machine some took over the 5 s default.
    // No test asserts a duration, so a longer ceiling only stops a slow machine failing them.
    testTimeout: 30_000,
  },
});
