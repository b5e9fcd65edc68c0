// Automated accessibility checks with axe-core: WCAG 2.0/2.1 A and AA rules on the page as it is now.
// axe's source is run with page.evaluate, which the pages' strict Content-Security-Policy does not
// block (an injected <script> would be). Violations of impact "serious" or "critical" fail the test;
// "moderate" and "minor" ones are printed only.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const FAILING = new Set(["serious", "critical"]);

interface AxeNode {
  target: unknown[];
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

function format(v: AxeViolation): string {
  const targets = v.nodes.map((n) => `    ${n.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : String(t))).join(" ")}`);
  return `  [${v.impact}] ${v.id}: ${v.help}\n${targets.join("\n")}`;
}

/** Runs axe on the page and throws when it finds serious or critical violations. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  // Colours caught mid-transition (a button fading in as it becomes enabled) blend with the background
  // and fail the contrast rule by timing alone: measure the page at rest.
  // Endless animations (a pulsing breach marker, a spinner) never settle and are not what is measured.
  await page
    .waitForFunction(
      () => document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity),
      undefined,
      { timeout: 5000 },
    )
    .catch(() => undefined);
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const { violations, passes } = (await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[]; passes: unknown[] }> } };
    const result = await w.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return { violations: result.violations, passes: result.passes.length };
  })) as { violations: AxeViolation[]; passes: number };
  if (passes === 0) throw new Error(`accessibility (${name}): axe checked nothing`);
  if (violations.length === 0) return;
  const failing = violations.filter((v) => FAILING.has(v.impact ?? ""));
  const report = `accessibility (${name}): ${violations.length} rule(s) violated\n${violations.map(format).join("\n")}`;
  if (failing.length > 0) throw new Error(report);
  console.log(report);
}
