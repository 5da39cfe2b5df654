/* 证书核验（/verify/）：在浏览器中查 data/verify.json（格式见 generator/site/verify.py），不需要服务器。
   证书上的二维码打开 /verify/?cert=<证书编号>&uscc=<统一社会信用代码>；本页只读 cert、uscc、date，从不读 q
   （q 是 Material 搜索框的参数，会在页面上盖一层搜索结果）。答案写在页面最上方，手机上一打开就能看到。 */
(function () {
  "use strict";
  var form = document.getElementById("ipreg-verify");
  if (!form) return;
  var out = document.getElementById("ipreg-verify-result");
  var input = document.getElementById("ipreg-verify-q");
  var dayInput = document.getElementById("ipreg-verify-day");
  var issuer = form.getAttribute("data-issuer") || "";
  var index = null, prefixWord = "", suffixWord = "";
  var DAY = 86400000;
  function toDay(n) { return new Date(Date.parse(index.epoch + "T00:00:00Z") + n * DAY).toISOString().slice(0, 10); }
  function fromDay(text) { return Math.round((Date.parse(text + "T00:00:00Z") - Date.parse(index.epoch + "T00:00:00Z")) / DAY); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function date(s) { return "<time class=\"ipreg-date\">" + esc(s) + "</time>"; }

  /* number-key:begin — generator/ids.py number_key and document_form for the browser: the one way the registry compares
     certificate numbers and 文号 (tests/test_integrity.py runs both on the same inputs and wants the same keys). */
  var OPENERS = "〔[(（【〖﹝［｛{<《〈「『";
  var BRACKETS = /[〔〕\[\]()（）【】〖〗﹝﹞［］｛｝{}<>《》〈〉「」『』]/g;
  var SEPARATORS = /[号號第#№\/_\-－—–·、，,.。:：]/g;
  function fold(s) { return String(s || "").normalize("NFKC").replace(/\s+/g, "").toUpperCase(); }
  function bare(s) { return fold(s).replace(BRACKETS, ""); }
  /* 文号、证书编号的规范写法：六角括号〔〕、半角数字、无空格、年份后的序号不加括号、不计前导零。 */
  function documentForm(text) {
    return fold(text).replace(BRACKETS, function (c) { return OPENERS.indexOf(c) >= 0 ? "〔" : "〕"; }).replace(/〕〔([0-9]+)〕/g, "〕$1").replace(/〕0+(?=[0-9])/g, "〕");
  }
  /* 年份-顺序号（顺序号不计前导零）：去掉证书格式的前缀、后缀、括号和分隔符后只剩年份和顺序号时；否则为 null。
     括号写法、有无前缀和“号”字、2024001 与 2024-1 都得到同一个键。 */
  function yearSerial(text) {
    var t = fold(text);
    if (prefixWord) t = t.split(prefixWord).join("-");
    if (suffixWord) t = t.split(suffixWord).join("-");
    t = t.replace(BRACKETS, "-").replace(SEPARATORS, "-");
    var runs = /^[0-9-]*$/.test(t) ? (t.match(/[0-9]+/g) || []) : [];
    if (runs.length === 1 && runs[0].length >= 5) runs = [runs[0].slice(0, 4), runs[0].slice(4)];
    if (runs.length < 2) return null;
    return runs.map(function (r, i) { return i === 0 ? r : r.replace(/^0+(?=[0-9])/, ""); }).join("-");
  }
  function numberKey(text) { return yearSerial(text) || documentForm(text); }
  /* number-key:end */

  function prepare(data) {
    index = data;
    prefixWord = bare(index.prefix);
    suffixWord = bare(index.suffix);
    index.e.forEach(function (e) {
      e.certs = e[2].map(function (c) {
        var text = c.length > 2 ? c[0] : index.prefix + c[0] + index.suffix;
        return {text: text, day: c[1], key: numberKey(text)};
      });
      e.certs.forEach(function (c, j) { c.fate = e[4] ? e[4][j] : null; });
      e.folded = fold(e[1]);
    });
  }

  function spanOn(e, day) {
    var spans = e[3];
    for (var i = 0; i < spans.length; i++) {
      if (spans[i][0] <= day && (spans[i][1] === -1 || day <= spans[i][1])) return spans[i];
    }
    return null;
  }
  /* 某一天的状态：状态、是否在名单中，以及这个状态到哪一天。 */
  function statusText(e, day) {
    var today = fromDay(index.today);
    if (day > today) return "该日期晚于数据日期 " + date(index.today) + "，届时的状态以那时公布的为准。";
    var span = spanOn(e, day);
    if (!span) return "该日尚未备案（不在名单中）。";
    var s = index.statuses[span[2]];
    var text = "<strong>" + esc(s[0]) + "</strong>，" + (s[1] ? "<strong>在公开名单中</strong>" : "<strong>不在公开名单中</strong>");
    if (span.length > 3 && s[2]) text += "，" + esc(s[2]) + " " + date(toDay(span[3]));
    else if (span[1] !== -1) text += "（这一状态到 " + date(toDay(span[1])) + " 为止）";
    else text += "（自 " + date(toDay(span[0])) + " 起）";
    return text + "。";
  }
  function statusLines(e) {
    var html = "<p class=\"ipreg-verify-status\">企业今天（数据截至 " + date(index.today) + "）：" + statusText(e, fromDay(index.today)) + "</p>";
    if (dayInput.value) html += "<p>" + date(dayInput.value) + "：" + statusText(e, fromDay(dayInput.value)) + "</p>";
    return html;
  }
  function holder(e) {
    return "<p class=\"ipreg-verify-holder\"><a href=\"../enterprises/" + esc(e[0]) + "/\"><strong>" + esc(e[1]) + "</strong></a><br>"
      + "信用代码 <code class=\"ipreg-nowrap\">" + esc(e[0]) + "</code></p>";
  }
  function contact() {
    return "请联系" + esc(index.contact || issuer) + "核实。";
  }

  function findCertificate(q) {
    var key = numberKey(q);
    for (var i = 0; i < index.e.length; i++) {
      var e = index.e[i];
      for (var j = 0; j < e.certs.length; j++) {
        var c = e.certs[j];
        if (key && c.key === key) return {e: e, cert: c};
      }
    }
    return null;
  }
  function findEnterprises(q) {
    var key = fold(q), hits = [];
    if (!key) return hits;
    var code = /^[0-9A-Z]{6,18}$/.test(key);
    index.e.forEach(function (e) {
      if ((code && e[0].slice(-key.length) === key) || (key.length >= 2 && e.folded.indexOf(key) >= 0)) hits.push(e);
    });
    return hits;
  }

  /* 这张证书本身（ARCHITECTURE.md 第 6 节）：有效、已失效（期满或已换发新证）、已撤销、已收回；标题用文字说，颜色只是辅助。
     fate 为 [证书上有效期的最后一天, 代码, 日期, 新证书的位置或证书收回的日期]（见 generator/site/verify.py）。 */
  function fate(e, c) {
    var f = c.fate, end = f && f[0] !== -1 ? date(toDay(f[0])) : "", on = f && f.length > 2 ? date(toDay(f[2])) : "";
    var term = "<strong class=\"ipreg-nowrap\">" + esc(c.text) + "</strong>，" + (end ? "有效期 " + date(toDay(c.day)) + " 至 <strong>" + end + "</strong>"
      : date(toDay(c.day)) + " 颁发，有效期以证书上印的为准");
    if (!f) return {kind: "plain", title: "证书真实，状态见下", term: term + "。"};  /* 没有结局的旧索引：不给绿色 */
    if (f[1] === "v") return {kind: "ok", title: "证书有效", term: term + "。"};
    if (f[1] === "n") {
      return {kind: "ended", title: "证书已失效：已换发新证书 <span class=\"ipreg-nowrap\">" + esc(e.certs[f[3]].text) + "</span>",
              term: term + "；" + on + " 已换发新证书，本证书不再有效。"};
    }
    var back = (f[1] === "r" || f[1] === "w") && f.length > 3 ? date(toDay(f[3])) : "";  /* 证书收回的日期（记录中有时） */
    if (f[1] === "r") {
      return {kind: "bad", title: "证书已撤销（" + on + "）" + (back ? "，已收回（" + back + "）" : ""),
              term: term + "；" + on + " 起撤销资格，本证书作废" + (back ? "，" + back + " 已收回。" : "。")};
    }
    if (f[1] === "w") {
      return {kind: "bad", title: "证书已收回（" + (back || on) + "）",
              term: term + "；企业申请退出，" + on + " 起" + (back ? "不再有效，" + back + " 已收回。" : "收回。")};
    }
    return {kind: "ended", title: "证书已失效：有效期已满", term: term + (end ? "，已期满。" : "。")};
  }
  var SHORT = {v: "有效", x: "已失效", n: "已失效，已换发新证书", r: "已撤销", w: "已收回"};
  /* 标题、持证企业、证书本身（有效期和结局）、企业今天的状态，依次排在第一屏；二维码中的代码不符时，说明放在最后。 */
  function certificateAnswer(found, askedUscc) {
    var e = found.e, c = found.cert, f = fate(e, c);
    var other = askedUscc && fold(askedUscc) !== e[0];
    var html = "<div class=\"ipreg-verdict ipreg-verdict-" + (other ? "bad" : f.kind) + "\"><p class=\"ipreg-verdict-title\">"
      + (other ? "证书属于另一家企业" : f.title) + "</p>" + holder(e)
      + "<p class=\"ipreg-verify-term\">" + (other ? "<strong>本证书" + (SHORT[c.fate ? c.fate[1] : ""] || "真实") + "</strong>：" : "") + f.term + "</p>"
      + statusLines(e) + "<p>证书由" + esc(issuer) + "于 " + date(toDay(c.day)) + " 颁发。</p>";
    if (other) {
      html += "<p class=\"ipreg-verify-warn\"><strong>二维码中的统一社会信用代码 <code class=\"ipreg-nowrap\">" + esc(fold(askedUscc))
        + "</code> 与持证企业不符</strong>：这张证书颁发给上面这家企业，不是该代码所属企业的证书。请向出示证书的企业核实。</p>";
    }
    return html + "</div>";
  }
  function notFound(q) {
    return "<div class=\"ipreg-verdict ipreg-verdict-bad\"><p class=\"ipreg-verdict-title\">未找到证书“" + esc(q) + "”</p>"
      + "<p>本局发布的名单中没有这个证书编号：证书可能不是本局颁发的，或编号输入有误。请核对编号（括号可以不输入），"
      + contact() + "</p></div>";
  }
  function enterpriseAnswer(hits, q) {
    if (!hits.length) {
      return "<div class=\"ipreg-verdict ipreg-verdict-bad\"><p class=\"ipreg-verdict-title\">未找到“" + esc(q) + "”</p>"
        + "<p>请核对证书编号、统一社会信用代码或企业名称；" + contact() + "</p></div>";
    }
    var html = "<p>找到 " + hits.length + " 家企业" + (hits.length > 20 ? "（只显示前 20 家，请输入更多文字）" : "") + "：</p>";
    hits.slice(0, 20).forEach(function (e) {
      html += "<div class=\"ipreg-verdict\">" + holder(e) + statusLines(e);
      if (e.certs.length) html += "<p>证书：" + e.certs.map(function (c) {
        return "<span class=\"ipreg-nowrap\">" + esc(c.text) + "</span>（" + date(toDay(c.day)) + " 颁发，" + (SHORT[c.fate ? c.fate[1] : ""] || "真实") + "）";
      }).join("、") + "</p>";
      html += "</div>";
    });
    return html;
  }

  function answer(q, askedUscc) {
    var found = findCertificate(q);
    if (found) return certificateAnswer(found, askedUscc);
    if (yearSerial(q) !== null && !/^[0-9A-Z]{6,18}$/.test(fold(q).replace(BRACKETS, ""))) return notFound(q);
    var hits = findEnterprises(q);
    if (!hits.length && yearSerial(q) !== null) return notFound(q);
    return enterpriseAnswer(hits, q);
  }
  function show(askedUscc) {
    var q = input.value.trim();
    if (!q) { out.innerHTML = "<p>请输入证书编号、统一社会信用代码或企业名称。</p>"; return; }
    out.innerHTML = answer(q, askedUscc);
  }
  function load(then) {
    if (index) return then();
    out.textContent = "正在读取名单……";
    fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (data) { prepare(data); then(); })
      .catch(function () { out.textContent = "名单数据读取失败，请稍后再试，或下载开放数据查询。"; });
  }
  form.addEventListener("submit", function (ev) { ev.preventDefault(); load(function () { show(""); }); });
  var params = new URLSearchParams(location.search);
  var cert = params.get("cert"), uscc = params.get("uscc");
  if (params.get("date")) dayInput.value = params.get("date");
  if (cert || uscc) {
    input.value = cert || uscc;
    load(function () { show(cert ? uscc : ""); });
  }
})();
