/* Unpacks snapshot files with the page's own runtime.js (unpackSnapshot on the bytes, unpackResponse
 * on a response that arrives in small chunks) under Node, for tests/site/test_snapshot_unpack.py.
 * Usage: node snapshot_runner.mjs FILE...; writes {file: {bytes: outcome, response: outcome}} as
 * JSON, an outcome being {length, sha256} or {error}. */
import fs from "node:fs";
import vm from "node:vm";
import crypto from "node:crypto";

globalThis.self = globalThis;  // runtime.js attaches MemoreRuntime to self
vm.runInThisContext(fs.readFileSync(new URL("../../overrides/assets/toolbox/runtime.js", import.meta.url), "utf8"));
const runtime = globalThis.MemoreRuntime;

function chunked(bytes, size) {
  let at = 0;
  return new Response(new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) { controller.close(); return; }
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  }));
}

async function outcome(promise) {
  try {
    const memory = await promise;
    return { length: memory.length, sha256: crypto.createHash("sha256").update(memory).digest("hex") };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
}

const out = {};
for (const file of process.argv.slice(2)) {
  const bytes = new Uint8Array(fs.readFileSync(file));
  out[file] = {
    bytes: await outcome(runtime.unpackSnapshot(bytes.slice())),
    response: await outcome(runtime.unpackResponse(chunked(bytes, 65536 + 3))),
  };
}
process.stdout.write(JSON.stringify(out));
