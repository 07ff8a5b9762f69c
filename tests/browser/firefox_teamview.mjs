// Issue 18 in Debian's Firefox ESR (puppeteer-core over WebDriver BiDi): on a questionnaire page
// (file:// of the offline copy, or http), compare five team files, then three files of one
// organisation, then load a network benchmark file.
// Usage: node firefox_teamview.mjs URL TEAM_FILES(comma-separated) HISTORY_FILES(comma-separated) BENCHMARK_FILE
// Prints one JSON line: {state, thread, disagree, teamCharts, names, trendLines, trendDates,
// benchRows, benchSummary, requests, errors}. Used by test_team_views.py.
import { drive, ROOT } from "./firefox_page.mjs";

const [url, teamArg, historyArg, benchFile] = process.argv.slice(2);
await drive(url, async (page, out) => {
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
});
