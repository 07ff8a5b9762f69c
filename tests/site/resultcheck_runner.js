/* Runs the page's check (overrides/assets/toolbox/resultcheck.js) under Node for
 * tests/site/test_resultcheck_parity.py. Reads {"pages": {key: rules}, "files": [path, ...]} as JSON
 * on stdin; writes {key: {path: {bytes: outcome, text: outcome, ms}}} as JSON on stdout. "bytes" is
 * the check of the file's bytes (as the page reads them), "text" the check of the text they decode
 * to (as the page hands it to Python), when they decode. */
"use strict";
const fs = require("fs");
const path = require("path");
const check = require(path.join(__dirname, "..", "..", "overrides", "assets", "toolbox", "resultcheck.js"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const job = JSON.parse(input);
  const out = {};
  for (const [key, rules] of Object.entries(job.pages)) {
    out[key] = {};
    for (const file of job.files) {
      const bytes = fs.readFileSync(file);
      const started = process.hrtime.bigint();
      const byBytes = check.check(bytes, rules);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const decoded = check.decode(bytes, rules);
      out[key][file] = { bytes: byBytes, text: decoded.ok ? check.check(decoded.text, rules) : decoded, ms };
    }
  }
  process.stdout.write(JSON.stringify(out));
});
