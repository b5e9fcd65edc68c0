import { defineConfig } from "vitest/config";

// The browser end-to-end test: the real Go server (embedded SQLite, demo data, the built web app)
// driven through Debian's Chromium by playwright-core. `make test-web` builds what it needs first.
export default defineConfig({
  test: {
    name: "e2e",
    environment: "node",
    include: ["e2e/**/*.e2e.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000, // the first `go build` of the server can take minutes on a small machine
    fileParallelism: false,
  },
});
