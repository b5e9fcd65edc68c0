// Time to first screen of the web export: from navigation to the sign-in form being visible, in a fresh
// browser context each time (no cache), against the real server. Prints each run and the median.
//   CAREQUEUE_BIN=e2e/.bin/carequeue node e2e/first-screen.mjs [runs]
import { fakeTwilio, launch, serveApp, startServer } from "./harness.mjs";

const runs = Number(process.argv[2] ?? 9);
const twilio = await fakeTwilio();
const server = await startServer(twilio.url);
const app = await serveApp(server.url);
const browser = await launch();
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${app.url}/`);
    await page.getByTestId("phone").waitFor();
    times.push(Date.now() - started);
    await context.close();
  }
} finally {
  await browser.close();
  await app.close();
  await server.stop();
  await twilio.close();
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`runs (ms): ${times.join(" ")}`);
console.log(`median: ${sorted[Math.floor(sorted.length / 2)]} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms`);
