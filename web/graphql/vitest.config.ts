import { defineConfig } from "vitest/config";

// The shared package's tests run in Node: no DOM, like React Native.
export default defineConfig({
  test: {
    name: "graphql",
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
