/* runtime.js's installEngine on a restored snapshot, under Node (test_engine_install.py).
 *
 * Usage: node engine_install_runner.mjs <pyodide dir> <runtime.js> <engine.js> <snapshot .bin> <sample .json> <same|other>
 * "other" gives engine.js another build id, as a cache between two releases could. Prints one JSON
 * line: how the engine came (engineFrom), whether its files were in Python's file system before
 * the first call, right after it and once that call's turn had ended, and the first answer's ok.
 */
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";

const [pyodideDir, runtimePath, enginePath, snapshotPath, samplePath, which] = process.argv.slice(2);
const sandbox = { self: {}, setTimeout };
vm.runInNewContext(fs.readFileSync(enginePath, "utf8"), sandbox);
vm.runInNewContext(fs.readFileSync(runtimePath, "utf8"), sandbox);
const bundle = sandbox.self.__memoreEngine;
if (which === "other") bundle.build = "0000000000000000";
const runtime = sandbox.self.MemoreRuntime;
const packed = fs.readFileSync(snapshotPath);
const memory = runtime.expandSnapshot(new Uint8Array(zlib.gunzipSync(packed)));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", _loadSnapshot: memory });
const probe = "/home/pyodide/memore/toolbox/browser.py";
const present = () => pyodide.FS.analyzePath(probe).exists;
const engine = runtime.installEngine(pyodide);
const before = present();
const sample = JSON.parse(fs.readFileSync(samplePath, "utf8"));
const answer = JSON.parse(engine.call("evaluate", [sample.definition, sample.state, sample.lang]));
const rightAfter = present();
await new Promise((resolve) => setTimeout(resolve, 0));
console.log(JSON.stringify({ engineFrom: engine.engineFrom, before, rightAfter, later: present(), ok: answer.ok }));
