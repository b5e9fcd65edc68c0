// Jest (jest-expo preset, React Native Testing Library). The shared GraphQL package is compiled from
// ../web/graphql/src, and its package imports resolve to this app's copies (see metro.config.js).
const path = require("node:path");

const own = (name) => path.join(__dirname, "node_modules", name);

// Every test runs on a phone in Los Angeles (set here, before Jest starts its workers: a test's own
// process.env is a copy Node does not read), so that a time written in the phone's zone instead of the
// hospital's shows up as a failure (src/i18n/format.test.ts) wherever the tests run.
process.env.TZ = "America/Los_Angeles";

module.exports = {
  preset: "jest-expo",
  testMatch: ["<rootDir>/{app,src}/**/*.test.{ts,tsx}"],
  setupFilesAfterEnv: ["<rootDir>/src/test/setup.ts"],
  // Screen tests run a real Apollo Client; the first one in a file also pays for loading it.
  testTimeout: 15000,
  moduleNameMapper: {
    "^@carequeue/graphql$": "<rootDir>/../web/graphql/src/index.ts",
    "^react$": own("react"),
    "^react/(.*)$": own("react") + "/$1",
    "^@apollo/client$": own("@apollo/client"),
    "^@apollo/client/(.*)$": own("@apollo/client") + "/$1",
    "^graphql$": own("graphql"),
    "^graphql-ws$": own("graphql-ws"),
    "^rxjs$": own("rxjs"),
  },
  transformIgnorePatterns: [
    "node_modules/(?!((jest-)?react-native|@react-native(-community)?|@react-native-firebase|expo(nent)?|@expo(nent)?/.*|@expo-google-fonts/.*|react-navigation|@react-navigation/.*|@sentry/react-native|native-base|react-native-svg|i18next|react-i18next|graphql-ws|@apollo/client|rxjs))",
  ],
};
