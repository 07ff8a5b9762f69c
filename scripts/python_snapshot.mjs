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
 *
 * Stored sparse, then gzip: about half of the memory is pages of zeros, which the browser would
 * otherwise inflate byte by byte. The format ("MEMSNAP1", read by runtime.js, expandSnapshot):
 * the 8-byte magic; the memory's length, the page size and the number of runs (uint32 LE each);
 * per run its first page and its number of pages (uint32 LE each); then the runs' bytes in order.
 * Everything outside the runs is zero.
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
  // Its data too: a restored engine answers before runtime.js writes its files (installEngine).
  "toolbox.messages.catalogue()",
  `toolbox.__snapshot_build__ = '${bundle.build}'`,
  "gc.collect()",
].join("\n"));
const PAGE = 4096;

/* Zero the memory the C allocator holds free, so that pages holding only freed memory (left over
   from Python's start and the imports) become zero pages, which the sparse form leaves out
   (README, "Measured figures"). calloc clears a chunk it reuses: every free chunk below the heap's
   top is taken, largest requests first, until a request would grow the heap, then all are given
   back. No request is made that could grow the wasm memory itself (the snapshot keeps its size).
   -> the number of chunks cleared. */
const GROWTH_MARGIN = 1 << 18;  // more than the allocator adds to a request when it grows the heap
function clearFreeMemory(module) {
  const taken = [];
  const length = module.HEAP8.length;
  let top = module._sbrk(0);
  for (let size = 1 << 20; size >= 16; size >>= 1) {
    for (;;) {
      if (top + size + GROWTH_MARGIN > length || module.HEAP8.length !== length) break;
      const pointer = module._calloc(1, size);
      if (!pointer) break;
      if (module._sbrk(0) > top) {
        module._free(pointer);
        top = module._sbrk(0);
        break;
      }
      taken.push(pointer);
    }
  }
  taken.forEach((pointer) => module._free(pointer));
  return taken.length;
}

/* -> the sparse form of memory (see above): runs of pages that hold anything but zeros. */
function sparse(memory) {
  const pages = Math.ceil(memory.length / PAGE);
  const zero = (p) => {
    for (let i = p * PAGE, end = Math.min(i + PAGE, memory.length); i < end; i++) if (memory[i] !== 0) return false;
    return true;
  };
  const runs = [];
  for (let p = 0; p < pages;) {
    if (zero(p)) { p++; continue; }
    const first = p;
    while (p < pages && !zero(p)) p++;
    runs.push([first, p - first]);
  }
  const head = Buffer.alloc(20 + 8 * runs.length);
  head.write("MEMSNAP1", 0, "latin1");
  head.writeUInt32LE(memory.length, 8);
  head.writeUInt32LE(PAGE, 12);
  head.writeUInt32LE(runs.length, 16);
  runs.forEach(([first, count], i) => { head.writeUInt32LE(first, 20 + 8 * i); head.writeUInt32LE(count, 24 + 8 * i); });
  const parts = runs.map(([first, count]) => memory.subarray(first * PAGE, Math.min((first + count) * PAGE, memory.length)));
  return { bytes: Buffer.concat([head, ...parts]), runs: runs.length };
}

const cleared = clearFreeMemory(pyodide._module);
const memory = pyodide.makeMemorySnapshot();
const { bytes, runs } = sparse(memory);
const packed = zlib.gzipSync(bytes, { level: 9 });
fs.writeFileSync(outPath, packed);
console.log(`snapshot: ${(memory.length / 1e6).toFixed(1)} MB of memory, ${(bytes.length / 1e6).toFixed(1)} MB in ` +
            `${runs} runs of non-zero pages (${cleared} free chunks cleared), ${(packed.length / 1e6).toFixed(1)} MB gzip`);
