// Opens a questionnaire of the unzipped offline edition from file:// in Debian's Firefox ESR
// (driven by puppeteer-core over WebDriver BiDi), answers it and waits for the chart.
// Prints one JSON line: {state, charts, answered, requests, errors}. Used by test_offline.py.
import puppeteer from "puppeteer-core";

const root = process.argv[2];
const page_ = process.argv[3] || "toolbox/nec-readiness.html";
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
try {
  const page = await browser.newPage();
  page.on("request", (request) => { out.requests.push(request.url()); });
  page.on("pageerror", (error) => { out.errors.push(String(error)); });
  await page.goto("file://" + root + "/" + page_, { waitUntil: "load" });
  await page.waitForSelector("[data-memore-status][data-state=ready], [data-memore-status][data-state=failed]", { timeout: 120000 });
  out.state = await page.$eval("[data-memore-status]", (el) => el.getAttribute("data-state"));
  /* "Agree" (4) on the agreement scale, "yes" for a practice: every statement answered. */
  const picks = await page.$$eval("fieldset.memore-statement", (sets) => sets.map((set) => {
    const input = set.querySelector("input[value='4'], input[value='yes']");
    return [input.name, input.value];
  }));
  for (const [name, value] of picks) await page.click(`input[name="${name}"][value="${value}"]`);
  await page.waitForSelector(".memore-charts svg[role=img]", { timeout: 60000 });
  out.charts = await page.$$eval(".memore-charts svg[role=img]", (svgs) => svgs.length);
  out.answered = await page.$eval("[data-memore-progress]", (el) => el.textContent);
  out.overall = await page.$eval(".memore-overall", (el) => el.textContent);
} catch (error) {
  out.errors.push("driver: " + String(error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
