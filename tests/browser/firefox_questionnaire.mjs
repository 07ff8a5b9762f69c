// Opens a questionnaire in Debian's Firefox ESR (driven by puppeteer-core over WebDriver BiDi),
// answers every statement and waits for the chart; then reloads (autosave) and, when a result
// file is given, loads it. Works for a file:// page of the unzipped offline edition and for the
// site served over http (where Python runs in the module Web Worker).
// Usage: node firefox_questionnaire.mjs URL [RESULT_FILE]
// Prints one JSON line: {state, thread, start, charts, answered, overall, restored, loaded,
// loadedOverall, requests, errors}. Used by test_offline.py and test_firefox_http.py.
import puppeteer from "puppeteer-core";

const url = process.argv[2];
const resultFile = process.argv[3] || null;
const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: process.env.MEMORE_FIREFOX || "/usr/bin/firefox-esr",
  headless: true,
  extraPrefsFirefox: { "network.proxy.type": 0, "app.update.enabled": false, "browser.safebrowsing.malware.enabled": false,
    "browser.safebrowsing.phishing.enabled": false, "datareporting.policy.dataSubmissionEnabled": false,
    "toolkit.telemetry.enabled": false, "network.captive-portal-service.enabled": false,
    "network.connectivity-service.enabled": false },
});
const out = { requests: [], errors: [] };
const root = "[data-memore-questionnaire]";
try {
  const page = await browser.newPage();
  page.on("request", (request) => { out.requests.push(request.url()); });
  page.on("pageerror", (error) => { out.errors.push(String(error)); });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("[data-memore-status][data-state=ready], [data-memore-status][data-state=failed]", { timeout: 120000 });
  out.state = await page.$eval("[data-memore-status]", (el) => el.getAttribute("data-state"));
  out.thread = await page.$eval(root, (el) => el.getAttribute("data-python-thread"));
  out.start = await page.$eval(root, (el) => el.getAttribute("data-python-start"));
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
} catch (error) {
  out.errors.push("driver: " + String(error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
