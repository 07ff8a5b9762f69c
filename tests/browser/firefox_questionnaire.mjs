// Opens a questionnaire in Debian's Firefox ESR (driven by puppeteer-core over WebDriver BiDi),
// answers every statement and waits for the chart; then reloads (autosave) and, when a result
// file is given, loads it. Works for a file:// page of the unzipped offline edition and for the
// site served over http (where Python runs in the module Web Worker).
// Usage: node firefox_questionnaire.mjs URL [RESULT_FILE]
// Prints one JSON line: {state, thread, start, charts, answered, overall, theme, restored, loaded,
// loadedOverall, requests, errors}. Used by test_offline.py and test_firefox_http.py.
import { drive, ROOT } from "./firefox_page.mjs";

const url = process.argv[2];
const resultFile = process.argv[3] || null;
await drive(url, async (page, out) => {
  out.start = await page.$eval(ROOT, (el) => el.getAttribute("data-python-start"));
  /* "Agree" (4) on the agreement scale, "yes" for a practice: every statement answered. */
  const picks = await page.$$eval("fieldset.memore-statement", (sets) => sets.map((set) => {
    const input = set.querySelector("input[value='4'], input[value='yes']");
    return [input.name, input.value];
  }));
  for (const [name, value] of picks) await page.click(`input[name="${name}"][value="${value}"]`);
  await page.waitForSelector(".memore-charts svg[role=img]", { timeout: 60000 });
  out.charts = await page.$$eval(".memore-charts svg[role=img]", (svgs) => svgs.length);
  // The last answer scored: every answer counted, no evaluation running.
  await page.waitForFunction((n) => document.querySelector("[data-memore-progress]").textContent.startsWith(n + " ") &&
    !document.querySelector("[data-memore-questionnaire]").hasAttribute("data-scoring"), { timeout: 60000 }, picks.length);
  out.answered = await page.$eval("[data-memore-progress]", (el) => el.textContent);
  out.overall = await page.$eval(".memore-overall", (el) => el.textContent);
  // Material's script, held in a <template> while Python started, has been inserted and has run.
  await page.waitForFunction(() => typeof window.document$ !== "undefined", { timeout: 10000 });
  out.theme = await page.evaluate(() => document.querySelectorAll('script[src*="javascripts/bundle."]').length);
  await page.reload({ waitUntil: "load" });
  await page.waitForSelector("[data-memore-status][data-state=ready], [data-memore-status][data-state=failed]", { timeout: 120000 });
  out.restored = await page.$$eval("fieldset.memore-statement input:checked", (inputs) => inputs.length);
  if (resultFile) {
    const input = await page.$("[data-memore-load]");
    await input.uploadFile(resultFile);
    await page.waitForFunction((before) => {
      const el = document.querySelector(".memore-overall");
      return el && el.textContent !== before;
    }, { timeout: 60000 }, out.overall);
    out.loaded = await page.$eval("[data-memore-message]", (el) => el.textContent);
    out.loadedOverall = await page.$eval(".memore-overall", (el) => el.textContent);
  }
});
