// Expo's lint rules (eslint-config-expo, flat config) for the app.
const { defineConfig } = require("eslint/config");
const expoConfig = require("eslint-config-expo/flat");

module.exports = defineConfig([
  expoConfig,
  { ignores: ["dist/*", "node_modules/*", ".expo/*", "android/*", "ios/*", "e2e/.bin/*"] },
  // Node scripts and configuration files run in Node.
  { files: ["*.js", "e2e/**/*.mjs", "detox/**/*.js"], languageOptions: { globals: { __dirname: "readonly", process: "readonly", require: "readonly", module: "writable", console: "readonly" } } },
]);
