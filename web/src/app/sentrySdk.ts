// The part of the Sentry SDK the web app uses, loaded on demand (errorReports.ts): naming it here
// lets the bundler leave the rest of @sentry/react (replay, feedback, tracing) out of that chunk.
export { captureException, close, flush, init } from "@sentry/react";
