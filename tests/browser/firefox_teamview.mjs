// Issue 18 in Debian's Firefox ESR (puppeteer-core over WebDriver BiDi): on a questionnaire page
// (file:// of the offline copy, or http), compare five team files, then three files of one
// organisation, then load a network benchmark file.
// Usage: node firefox_teamview.mjs URL TEAM_FILES(comma-separated) HISTORY_FILES(comma-separated) BENCHMARK_FILE
// Prints one JSON line: {state, thread, disagree, teamCharts, names, trendLines, trendDates,
// benchRows, benchSummary, requests, errors}. Used by test_team_views.py.
import puppeteer from "puppeteer-core";

const [url, teamArg, historyArg, benchFile] = process.argv.slice(2);
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

  const compare = await page.$("[data-memore-compare]");
  await compare.uploadFile(...teamArg.split(","));
  await page.waitForSelector("[data-memore-team] .mt-disagree li", { timeout: 60000 });
  out.disagree = await page.$$eval(".mt-disagree li a[href^='#st-']", (links) => links.map((a) => a.getAttribute("href")));
  out.teamCharts = await page.$$eval("[data-memore-team] svg[role=img]", (svgs) => svgs.length);
  out.namesBefore = await page.$$eval("[data-memore-names]", (els) => els.length);
  await page.click("[data-memore-show-names]");
  await page.waitForSelector("[data-memore-names] table", { timeout: 60000 });
  out.names = await page.$eval("[data-memore-names] table", (table) =>
    Array.from(table.querySelectorAll("thead th")).slice(1).map((th) => th.textContent));
  await page.click("[data-memore-show-names]");
  await page.waitForFunction(() => document.querySelectorAll("[data-memore-names]").length === 0, { timeout: 60000 });
  await page.click("[data-memore-compare-clear]");

  await compare.uploadFile(...historyArg.split(","));
  await page.waitForSelector("[data-memore-trend] svg[role=img]", { timeout: 60000 });
  out.trendLines = await page.$$eval("[data-memore-trend] polyline", (lines) => lines.length);
  out.trendDates = await page.$eval("[data-memore-trend] table", (table) =>
    Array.from(table.querySelectorAll("thead th")).slice(1, -1).map((th) => th.textContent));

  const bench = await page.$("[data-memore-benchmark]");
  await bench.uploadFile(benchFile);
  await page.waitForSelector("[data-memore-benchmark-output] svg[role=img]", { timeout: 60000 });
  out.benchRows = await page.$$eval("[data-memore-benchmark-output] tbody tr", (rows) => rows.length);
  out.benchSummary = await page.$eval("[data-memore-benchmark-output] .memore-compare-summary", (el) => el.textContent);
} catch (error) {
  out.errors.push("driver: " + String(error));
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
