// Runs the site's search worker (docs/assets/javascripts/workers/ipreg-search.js) under Node against a built site's
// search/enterprises/ folder: for each query on standard input (a JSON list) it prints the enterprise results as Material
// gets them when no other page matches (combine) and the bytes of every file the worker fetched for that query alone (a
// fresh worker per query: nothing cached).
// Usage: node benchmarks/search_probe.js WORKER.js SITE_DIR < queries.json
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [worker, site] = process.argv.slice(2);
const source = fs.readFileSync(worker, "utf8");
const queries = JSON.parse(fs.readFileSync(0, "utf8"));

function fresh(fetched) {
  const context = {
    URL, Map, Set, Promise, JSON, Math, Array, String, console,
    importScripts() {},
    fetch: async (url) => {
      const file = path.join(site, decodeURIComponent(new URL(url).pathname));
      const ok = fs.existsSync(file);
      const body = ok ? fs.readFileSync(file) : Buffer.alloc(0);
      fetched.push([new URL(url).pathname, body.length]);
      return { ok, status: ok ? 200 : 404, json: async () => JSON.parse(body.toString("utf8")) };
    },
  };
  context.self = {
    location: { href: "http://site.invalid/assets/javascripts/workers/ipreg-search.js?material=%2Fm.js", origin: "http://site.invalid" },
    addEventListener() {},
    postMessage() {},
  };
  vm.createContext(context);
  vm.runInContext(source, context);
  return context;
}

(async () => {
  const out = {};
  for (const query of queries) {
    const fetched = [];
    const context = fresh(fetched);
    const items = context.combine(await context.enterprises(query), []);
    out[query] = { items: items.map((group) => [group[0].location, group[0].title, group[0].text]), bytes: fetched.reduce((a, f) => a + f[1], 0),
                   files: fetched.map((f) => f[0]) };
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => { console.error(err); process.exit(1); });
