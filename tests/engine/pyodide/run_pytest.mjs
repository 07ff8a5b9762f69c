// Runs the engine's tests (tests/engine) under Pyodide's own Python in Node: the interpreter the
// site's visitors run the engine in. Nothing is downloaded: the runtime is the vendored npm package
// (node_modules/pyodide), and pytest, hypothesis and their pure-Python dependencies are the pinned
// copies already installed in .venv. Both folders are mounted into Pyodide's file system; Python
// writes no bytecode and works in /tmp (in memory), so nothing is written to them.
// Usage: node tests/engine/pyodide/run_pytest.mjs ROOT SITE_PACKAGES [pytest args...]
// Prints pytest's report, then one JSON line (see runner.py). Used by tests/engine/test_pyodide.py.
import path from "node:path";
import { loadPyodide } from "pyodide";

const [root, sitePackages, ...args] = process.argv.slice(2);
const pyodide = await loadPyodide({
  indexURL: path.join(root, "node_modules", "pyodide") + path.sep,
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
});
const FS = pyodide.FS;
for (const [host, mount] of [[root, "/repo"], [sitePackages, "/host-site-packages"]]) {
  FS.mkdirTree(mount);
  FS.mount(FS.filesystems.NODEFS, { root: host }, mount);
}
pyodide.globals.set("pytest_args", pyodide.toPy(args));
let out;
try {
  out = await pyodide.runPythonAsync(`
import sys
sys.dont_write_bytecode = True
sys.path[:0] = ["/repo/tests/engine/pyodide", "/repo", "/repo/tests/engine"]  # first: the hypothesis stand-in
sys.path.append("/host-site-packages")  # after Pyodide's own standard library
import runner
runner.main(list(pytest_args))
`);
} catch (error) {
  // Only the message: the stack of a Python error inside Pyodide quotes the whole minified runtime.
  console.error(String(error.message || error).slice(-4000));
  process.exit(2);
}
console.log(out);
