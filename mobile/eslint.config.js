// Expo's lint rules (eslint-config-expo, flat config) for the app.
const { defineConfig } = require("eslint/config");
const expoConfig = require("eslint-config-expo/flat");

module.exports = defineConfig([
  expoConfig,
  { ignores: ["dist/*", "node_modules/*", ".expo/*", "android/*", "ios/*"] },
]);
