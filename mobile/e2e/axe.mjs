// WCAG 2.1 A/AA checks with axe-core on the page as it is: "serious" and "critical" findings fail,
// others are printed. (The web app's tests do the same in web/e2e/a11y.ts, in TypeScript.)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export async function assertAccessible(page, screen) {
  await page.evaluate(source);
  const found = await page.evaluate(() =>
    window.axe
      .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
      .then((r) => ({ checked: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, where: v.nodes.map((n) => n.target.join(" ")) })) })),
  );
  if (!found.checked) throw new Error(`axe (${screen}) checked nothing`);
  if (!found.violations.length) return;
  const text = `axe (${screen}):\n${found.violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help} at ${v.where.join(", ")}`).join("\n")}`;
  if (found.violations.some((v) => v.impact === "serious" || v.impact === "critical")) throw new Error(text);
  console.log(`# ${text.replaceAll("\n", "\n# ")}`);
}
