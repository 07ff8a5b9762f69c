/* Make the Python memory snapshot the online toolbox starts from (called by the memore plugin, memore_site/runtime.py).
 *
 * Usage: node scripts/python_snapshot.mjs <pyodide dir> <engine.js> <output .bin>
 *
 * Starts the vendored Pyodide under Node, writes the engine's Python files (from the built
 * assets/toolbox/engine.js) into its file system, imports toolbox and toolbox.browser, and saves
 * the interpreter's memory, gzip-compressed. In the browser, loadPyodide restores that memory
 * instead of starting Python and importing the engine: about 1 s instead of about 3 s on 2 cores.
 * The snapshot only fits the exact pyodide.asm.wasm it was made with; the build makes it from
 * the same node_modules/pyodide it vendors. It holds no JavaScript objects (the engine imports
 * none), which is what Pyodide's snapshot format requires.
 */
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";

const [pyodideDir, enginePath, outPath] = process.argv.slice(2);
if (!pyodideDir || !enginePath || !outPath) {
  console.error("usage: node scripts/python_snapshot.mjs <pyodide dir> <engine.js> <output .bin>");
  process.exit(2);
}

const sandbox = { self: {} };
vm.runInNewContext(fs.readFileSync(enginePath, "utf8"), sandbox);
const bundle = sandbox.self.__memoreEngine;
if (!bundle || !bundle.files) throw new Error(`${enginePath} holds no engine files`);

const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", _makeSnapshot: true });
const root = "/home/pyodide/memore";  // the same place runtime.js's installEngine uses
for (const [file, text] of Object.entries(bundle.files)) {
  const full = `${root}/${file}`;
  pyodide.FS.mkdirTree(full.substring(0, full.lastIndexOf("/")));
  pyodide.FS.writeFile(full, text, { encoding: "utf8" });
}
pyodide.runPython([
  "import sys, gc",
  `sys.path.insert(0, '${root}')`,
  "import toolbox, toolbox.browser",
  `toolbox.__snapshot_build__ = '${bundle.build}'`,
  "gc.collect()",
].join("\n"));
const memory = pyodide.makeMemorySnapshot();
const packed = zlib.gzipSync(memory, { level: 9 });
fs.writeFileSync(outPath, packed);
console.log(`snapshot: ${(memory.length / 1e6).toFixed(1)} MB of memory, ${(packed.length / 1e6).toFixed(1)} MB gzip`);
