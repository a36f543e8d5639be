// Preloaded into a benchmark's server (NODE_OPTIONS=--require): appends the process's own
// process.memoryUsage() to BENCH_MEMLOG once a second, so that RSS can be split into the
// JavaScript heap, external memory (native buffers, SQLite statements) and the rest.
const { appendFileSync } = require("node:fs");
const file = process.env.BENCH_MEMLOG;
if (file) {
  const t0 = Date.now();
  setInterval(() => {
    const m = process.memoryUsage();
    const mb = (x) => +(x / 1048576).toFixed(1);
    appendFileSync(file, JSON.stringify({ t: +((Date.now() - t0) / 1000).toFixed(0), rss: mb(m.rss), heap_used: mb(m.heapUsed), heap_total: mb(m.heapTotal), external: mb(m.external), array_buffers: mb(m.arrayBuffers) }) + "\n");
  }, 1000).unref();
}
