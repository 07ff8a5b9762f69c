/* Prove the Python memory snapshot works (called by the memore plugin, memore_site/runtime.py, right after making it).
 *
 * Usage: node scripts/snapshot_check.mjs <pyodide dir> <engine.js> <snapshot .bin> <sample .json>
 *
 * Restores the snapshot once under Node the way the browser does (unpacked by runtime.js's own
 * expandSnapshot, then loadPyodide with the private option _loadSnapshot, from the same vendored
 * runtime), checks that the engine in that memory is
 * this build's (its build id), scores the sample (a definition and a state, as JSON strings) with
 * the engine imported in the snapshot, before any of the engine's files is written (the file
 * system is not part of the snapshot, and runtime.js writes them only after the first answer, so
 * the engine must answer from memory, its data read in when the snapshot was made), and prints
 * one JSON line: {build, memory, heap, evaluate}. The build compares the scores with CPython's.
 *
 * Why: the browser falls back to the plain start when a snapshot is refused, so a broken snapshot
 * would only make every visit slower, silently. Pyodide's issue #6254 (314.0.6) reports
 * INITIAL_MEMORY ignored, which would make a snapshot larger than the compiled heap fail on every
 * visit; a restore here fails the same way, at build time. Any failure: one line on stderr, exit 1.
 */
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";

const [pyodideDir, enginePath, snapshotPath, samplePath] = process.argv.slice(2);
if (!pyodideDir || !enginePath || !snapshotPath || !samplePath) {
  console.error("usage: node scripts/snapshot_check.mjs <pyodide dir> <engine.js> <snapshot .bin> <sample .json>");
  process.exit(2);
}

function fail(what, error) {
  const lines = error && error.message ? error.message.trim().split("\n") : [String(error || "")];
  const reason = lines[lines.length - 1];  // a Python traceback ends with the exception
  console.error(reason ? `${what}: ${reason}` : what);
  process.exit(1);
}

const sandbox = { self: {} };
vm.runInNewContext(fs.readFileSync(enginePath, "utf8"), sandbox);
const bundle = sandbox.self.__memoreEngine;
if (!bundle || !bundle.build) fail(`${enginePath} holds no engine build id`);
const sample = JSON.parse(fs.readFileSync(samplePath, "utf8"));
// The browser's unpacking, from the page's own runtime.js (a classic script that sets self.MemoreRuntime).
const pageScope = { self: {} };
vm.runInNewContext(fs.readFileSync(new URL("../overrides/assets/toolbox/runtime.js", import.meta.url), "utf8"), pageScope);
const { expandSnapshot } = pageScope.self.MemoreRuntime;

let memory;
try {
  const packed = fs.readFileSync(snapshotPath);
  const bytes = packed[0] === 0x1f && packed[1] === 0x8b ? zlib.gunzipSync(packed) : packed;
  memory = expandSnapshot(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
} catch (error) {
  fail("the snapshot cannot be read or unpacked", error);
}

const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
let pyodide;
try {
  pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", _loadSnapshot: new Uint8Array(memory) });
} catch (error) {
  fail("Pyodide refused to restore the snapshot", error);
}

try {
  // Nothing of the engine is written or imported here: it must come from the restored memory.
  const found = pyodide.runPython(
    "import sys\n_t = sys.modules.get('toolbox')\nstr(getattr(_t, '__snapshot_build__', '')) if _t else ''");
  if (!found) fail("the restored memory holds no imported engine");
  if (found !== bundle.build) fail(`the snapshot holds engine build ${found}, but engine.js is build ${bundle.build}`);
  // No engine file is written: runtime.js writes them only after the engine's first answer.
  const evaluate = pyodide.pyimport("toolbox.browser").evaluate;
  const out = JSON.parse(String(evaluate(sample.definition, sample.state, sample.lang)));
  if (out.ok !== true) fail(`the restored engine refused the sample: ${out.message}`);
  const heap = pyodide._module && pyodide._module.HEAPU8 ? pyodide._module.HEAPU8.length : null;
  console.log(JSON.stringify({ build: found, memory: memory.length, heap, evaluate: out }));
} catch (error) {
  fail("the restored engine failed on the sample", error);
}
