#!/usr/bin/env node
// Prints the JavaScript a browser downloads before the first screen renders — the entry script and
// every module index.html preloads — gzipped as the Go server sends it, and fails when it exceeds
// the budget (issue 5: 250 KB). Route chunks load later and are listed for information.
//   node scripts/report-size.mjs [appDir]
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 250;
const dist = process.argv[2] ?? new URL("../site/app/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");

const initial = new Set();
for (const m of html.matchAll(/<script[^>]*\bsrc="\/([^"]+\.js)"/g)) initial.add(m[1]);
for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+\.js)"/g)) initial.add(m[1]);
if (initial.size === 0) {
  console.error("report-size: no script found in index.html");
  process.exit(1);
}

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => (bytes / 1024).toFixed(1);

let total = 0;
for (const f of [...initial].sort()) {
  const size = gz(f);
  total += size;
  console.log(`  initial  ${kb(size).padStart(7)} KB  ${f}`);
}
const lazy = readdirSync(join(dist, "assets"))
  .filter((f) => f.endsWith(".js") && !initial.has(`assets/${f}`))
  .map((f) => [f, gz(`assets/${f}`)])
  .sort((a, b) => b[1] - a[1]);
for (const [f, size] of lazy) console.log(`  lazy     ${kb(size).padStart(7)} KB  assets/${f}`);
const css = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".css"));
for (const f of css) console.log(`  css      ${kb(gz(`assets/${f}`)).padStart(7)} KB  assets/${f}`);

console.log(`initial JS: ${kb(total)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (total > BUDGET_KB * 1024) {
  console.error(`report-size: the initial JavaScript is over budget by ${kb(total - BUDGET_KB * 1024)} KB`);
  process.exit(1);
}
