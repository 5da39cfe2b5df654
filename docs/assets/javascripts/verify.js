/* 证书核验（/verify/）：在浏览器中查 data/verify.json（格式见 generator/site/verify.py），不需要服务器。 */
(function () {
  "use strict";
  var form = document.getElementById("ipreg-verify");
  if (!form) return;
  var out = document.getElementById("ipreg-verify-result");
  var input = document.getElementById("ipreg-verify-q");
  var dayInput = document.getElementById("ipreg-verify-day");
  var index = null;
  var DAY = 86400000;

  function toDay(n, epoch) { return new Date(Date.parse(epoch + "T00:00:00Z") + n * DAY).toISOString().slice(0, 10); }
  function fromDay(text, epoch) { return Math.round((Date.parse(text + "T00:00:00Z") - Date.parse(epoch + "T00:00:00Z")) / DAY); }
  function certText(c, fmt) {
    if (typeof c[0] === "string") return c[0];
    var year = Math.floor(c[0] / 1000), seq = String(c[0] % 1000);
    return fmt.replace("{year}", String(year)).replace(/\{seq(?::0?(\d+)d)?\}/, function (_, w) {
      while (w && seq.length < Number(w)) seq = "0" + seq;
      return seq;
    });
  }
  function norm(s) { return String(s || "").replace(/\s+/g, "").toUpperCase(); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function statusOn(e, day) {
    var spans = e[3];
    for (var i = 0; i < spans.length; i++) {
      if (spans[i][0] <= day && (spans[i][1] === -1 || day <= spans[i][1])) return spans[i][2];
    }
    return null;
  }
  function describe(e, day, label) {
    var code = statusOn(e, day);
    if (code === null) return label + "：尚未备案（不在名单中）";
    var s = index.statuses[code];
    return label + "：" + esc(s[0]) + "，" + (s[1] ? "<strong>在公开名单中</strong>" : "<strong>不在公开名单中</strong>");
  }
  function find(q) {
    var key = norm(q), hits = [];
    if (!key) return hits;
    index.e.forEach(function (e) {
      var certs = e[2].map(function (c) { return [certText(c, index.format), c[1]]; });
      var cert = certs.filter(function (c) { return norm(c[0]) === key; })[0];
      if (cert || e[0] === key || (key.length >= 2 && norm(e[1]).indexOf(key) >= 0)) hits.push({e: e, cert: cert, certs: certs});
    });
    return hits;
  }
  function show() {
    var q = input.value.trim();
    if (!q) { out.innerHTML = "<p>请输入证书编号、统一社会信用代码或企业名称。</p>"; return; }
    var hits = find(q);
    var today = fromDay(index.today, index.epoch);
    var asked = dayInput.value ? fromDay(dayInput.value, index.epoch) : null;
    if (!hits.length) {
      out.innerHTML = "<p class=\"ipreg-verify-none\"><strong>未找到“" + esc(q) + "”。</strong>请核对证书编号（包括括号和“号”字）或企业名称；"
        + "仍有疑问请联系" + esc(index.contact || "西平县市场监管局（知识产权局）") + "。</p>";
      return;
    }
    var html = "<p>找到 " + hits.length + " 家企业（数据截至 " + esc(index.today) + "）：</p><ul>";
    hits.slice(0, 50).forEach(function (h) {
      var e = h.e;
      html += "<li><a href=\"../enterprises/" + esc(e[0]) + "/\">" + esc(e[1]) + "</a>（<code>" + esc(e[0]) + "</code>）<br>";
      if (h.cert) html += "证书 <strong>" + esc(h.cert[0]) + "</strong> 是真实的，" + esc(toDay(h.cert[1], index.epoch)) + " 颁发给这家企业。<br>";
      html += describe(e, today, "今天") + "<br>";
      if (asked !== null) html += describe(e, asked, esc(dayInput.value)) + "<br>";
      if (h.certs.length) html += "证书：" + h.certs.map(function (c) { return esc(c[0]) + "（" + esc(toDay(c[1], index.epoch)) + "）"; }).join("、");
      html += "</li>";
    });
    out.innerHTML = html + "</ul>";
  }
  function load(then) {
    if (index) return then();
    out.textContent = "正在读取名单……";
    fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (data) { index = data; then(); })
      .catch(function () { out.textContent = "名单数据读取失败，请稍后再试，或下载开放数据查询。"; });
  }
  form.addEventListener("submit", function (ev) { ev.preventDefault(); load(show); });
  var params = new URLSearchParams(location.search);
  if (params.get("q")) { input.value = params.get("q"); if (params.get("date")) dayInput.value = params.get("date"); load(show); }
})();
