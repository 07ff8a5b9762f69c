// Shared by the Firefox drivers (firefox_questionnaire.mjs, firefox_teamview.mjs): launches
// Debian's Firefox ESR with puppeteer-core over WebDriver BiDi (no update, telemetry,
// safe-browsing or captive-portal calls), opens a questionnaire page, records every request and
// page error, waits until Python is ready or has failed, runs the driver's own steps and prints
// one JSON line: {state, thread, requests, errors} plus what the steps added. A step that throws
// is reported in errors ("driver: ..."), never as a crash.
import puppeteer from "puppeteer-core";

export const ROOT = "[data-memore-questionnaire]";

export async function drive(url, steps) {
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
    await page.goto(url, { waitUntil: "load" });
    await page.waitForSelector("[data-memore-status][data-state=ready], [data-memore-status][data-state=failed]", { timeout: 120000 });
    out.state = await page.$eval("[data-memore-status]", (el) => el.getAttribute("data-state"));
    out.thread = await page.$eval(ROOT, (el) => el.getAttribute("data-python-thread"));
    await steps(page, out);
  } catch (error) {
    out.errors.push("driver: " + String(error));
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(out));
}
