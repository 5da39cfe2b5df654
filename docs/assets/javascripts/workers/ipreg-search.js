/* ipreg: enterprise search from a sharded index, in front of Material's own results.
 *
 * This worker wraps Material's search worker (its URL comes as ?material=...): Material's lunr index holds the other
 * pages; enterprises are looked up in search/enterprises/ (generator/site/search.py writes it), a few kilobytes per
 * query whatever the size of the registry. For each query the buckets of the query's grams and the document shards of
 * the best results are fetched; the enterprise results are put before Material's results for the same query. Grams,
 * normalisation and the bucket hash are the same as in generator/site/search.py.
 */
"use strict";

var QUERY = 2, RESULT = 3;  // Material's SearchMessageType
var ROOT = new URL("../../../search/enterprises/", self.location.href);  // this file is assets/javascripts/workers/
var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/gu;
var ALNUM = /[0-9A-Z]+/g;
var cache = new Map();

function fetchJSON(path) {
  if (!cache.has(path)) {
    cache.set(path, fetch(new URL(path, ROOT)).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    }));
  }
  return cache.get(path);
}

function grams(query) {  // search.query_grams
  var text = query.normalize("NFKC").toUpperCase(), out = new Set();
  (text.match(HAN) || []).forEach(function (run) {
    var chars = Array.from(run);
    if (chars.length === 1) out.add(chars[0]);
    for (var i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  });
  (text.match(ALNUM) || []).forEach(function (run) {
    if (run.length === 2 || run.length === 3) out.add(run);
    for (var i = 0; i + 4 <= run.length; i++) out.add(run.slice(i, i + 4));
  });
  return Array.from(out);
}

/* The query as written and its rewrites: traditional characters as simplified (絲綢 -> 丝绸), and each word of a
 * synonym group replaced by the others (芝麻油 -> 香油). At most eight. */
function variants(query, table) {
  var text = Array.from(query.normalize("NFKC").toUpperCase()).map(function (c) { return table.t2s[c] || c; }).join("");
  var out = [text];
  table.synonyms.forEach(function (group) {
    group.forEach(function (word) {
      if (text.indexOf(word) < 0) return;
      group.forEach(function (other) {
        var rewritten = text.split(word).join(other);
        if (other !== word && out.indexOf(rewritten) < 0) out.push(rewritten);
      });
    });
  });
  return out.slice(0, 8);
}

function bucket(gram, buckets) {
  var h = 0x811c9dc5;
  for (var c of gram) h = Math.imul((h ^ c.codePointAt(0)) >>> 0, 0x01000193) >>> 0;
  return h % buckets;
}

function undelta(deltas) {
  var out = [], n = 0;
  for (var i = 0; i < deltas.length; i++) { n += deltas[i]; out.push(n); }
  return out;
}

function escapeHTML(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

function item(location, title, text, score) {
  return [{ location: location, title: title, text: text, score: score, terms: {} }];
}

/* The enterprise numbers with every usable gram of ``query``, each with how many of its grams are in the name; null
 * when every gram is in more than meta.cap enterprises (it narrows nothing down). */
async function matches(query, meta) {
  var gs = grams(query);
  if (!gs.length) return [];
  var shards = {};
  await Promise.all(gs.map(function (g) { return bucket(g, meta.buckets); }).filter(function (b, i, all) {
    return all.indexOf(b) === i;
  }).map(function (b) {
    return fetchJSON("t/" + b + ".json").then(function (s) { shards[b] = s; });
  }));
  var lists = [];
  for (var g of gs) {
    var entry = shards[bucket(g, meta.buckets)][g];
    if (entry === undefined) return [];  // a gram no enterprise has: no enterprise matches every gram
    if (typeof entry === "number") continue;
    var named = undelta(entry[0]), all = named.concat(undelta(entry[1]));
    lists.push({ name: new Set(named), all: all, set: new Set(all) });
  }
  if (!lists.length) return null;
  lists.sort(function (a, b) { return a.all.length - b.all.length; });
  return lists[0].all.filter(function (n) {
    return lists.every(function (l) { return l.set.has(n); });
  }).map(function (n) {
    return { n: n, s: lists.filter(function (l) { return l.name.has(n); }).length };
  });
}

/* The enterprises matching ``query``: {items: the best meta.shown as results, hidden: how many more match, notice: a line
 * in place of results when the query's words are in too many enterprises to list, or null}. */
async function enterprises(query) {
  var none = { items: [], hidden: 0, notice: null };
  if (!grams(query).length) return none;
  var meta = await fetchJSON("meta.json");
  var table = await fetchJSON("variants.json").catch(function () { return { t2s: {}, synonyms: [] }; });
  var found = new Map(), common = false, texts = variants(query, table);
  for (var i = 0; i < texts.length; i++) {
    var some = await matches(texts[i], meta);
    if (some === null) { common = true; continue; }
    some.forEach(function (r) {  // the query as written ranks before its rewrites
      var score = r.s * 2 + (i === 0 ? 1 : 0);
      if (!found.has(r.n) || found.get(r.n) < score) found.set(r.n, score);
    });
  }
  if (!found.size && common) {
    return { items: [], hidden: 0, notice: item("list/#list", "“" + escapeHTML(query.trim()) + "”中的字词在 " + meta.cap +
      " 家以上企业中都出现，无法逐一列出：请输入更多字词（如产品名称或信用代码中的一段），或到企业名单中查看", "", 0) };
  }
  var scored = Array.from(found, function (e) { return { n: e[0], s: e[1] }; }).sort(function (a, b) { return b.s - a.s || a.n - b.n; });
  var best = scored.slice(0, meta.shown);
  var rows = {};
  await Promise.all(best.map(function (r) { return Math.floor(r.n / meta.per); }).filter(function (s, i, all) {
    return all.indexOf(s) === i;
  }).map(function (s) {
    return fetchJSON("d/" + s + ".json").then(function (d) { rows[s] = d; });
  }));
  var out = best.map(function (r) {
    var row = rows[Math.floor(r.n / meta.per)][r.n % meta.per];
    return item("enterprises/" + row[0] + "/", escapeHTML(row[1]),  // the status first, then what it makes
                escapeHTML((row[3] ? "状态：" + row[3] + "；" : "") + row[2] + "；统一社会信用代码 " + row[0]), 1000 + r.s);
  });
  return { items: out, hidden: scored.length - best.length, notice: null };
}

/* Material shows the count of the results it gets and renders the first ten, the rest only as the list is scrolled:
 * so it gets at most SHOWN results, all rendered at once, and when more match, the last line says how many more
 * (ipreg.js words the count above the list the same way: "显示前 N 个，另有 M 个"). */
var SHOWN = 10;

function combine(found, pages) {
  var results = found.items.concat(pages), total = results.length + found.hidden;
  if (found.notice) return [found.notice].concat(pages.slice(0, SHOWN - 1));
  if (total <= SHOWN) return results;
  var shown = results.slice(0, SHOWN - 1);
  return shown.concat([item("list/#list", "另有 " + (total - shown.length) + " 个结果没有列出：请输入更多字词缩小范围，" +
                                          "或到企业名单中查看", "", 0)]);
}

/* Queries arrive in order and Material answers them in order: each answer waits for the enterprises of its query. */
var pending = [];
var chain = Promise.resolve();
var post = self.postMessage.bind(self);

self.addEventListener("message", function (ev) {
  if (ev.data && ev.data.type === QUERY) {
    pending.push(enterprises(String(ev.data.data || "")).catch(function (err) {
      console.warn("ipreg search:", err);
      return { items: [], hidden: 0, notice: null };
    }));
  }
});

self.postMessage = function (message) {
  var mine = message && message.type === RESULT ? pending.shift() : null;
  chain = chain.then(function () { return mine; }).then(function (found) {
    if (found) message.data.items = combine(found, message.data.items || []);
    post(message);
  });
};

var material = new URL(new URL(self.location.href).searchParams.get("material") || "", self.location.href);
if (material.origin !== self.location.origin) throw new Error("ipreg search: Material's worker must come from this site");
importScripts(material.href);
