/* 中文按拼音排序（企业名称点表头排序时）：浏览器自带的中文排序规则。 */
if (window.Tablesort && window.Intl && Intl.Collator) {
  var pinyin = new Intl.Collator("zh-CN-u-co-pinyin", { numeric: true });
  Tablesort.extend("pinyin", function (item) { return /[\u3400-\u9fff]/.test(item); },
                   function (a, b) { return pinyin.compare(b.trim(), a.trim()); });
}

/* 名单的筛选（状态、类别、行业）和排序：写在网址里（?status=valid&sort=-date），刷新、收藏、转发和浏览器的“后退”都保留；
   筛选总是针对完整名单：名单分页时（form 的 data-whole），一有筛选或排序就从开放数据 data/enterprises.json 读取全部在册企业。
   打开页面时没有筛选和排序就什么都不做（500 行的页面不在加载时遍历）。没有 JavaScript 时筛选不显示（html.no-js），名单照常完整可读。 */
(function () {
  var KEYS = ["status", "category", "industry"], COLUMNS = ["name", "status", "date", "uscc", "industry", "category"];
  var pinyin = window.Intl && Intl.Collator ? new Intl.Collator("zh-CN-u-co-pinyin", { numeric: true }) : null;
  function wanted() {
    var query = new URLSearchParams(location.search), state = { sort: query.get("sort") || "" };
    KEYS.forEach(function (key) { state[key] = query.get(key) || ""; });
    return state;
  }
  function address(state) {
    var query = new URLSearchParams(location.search);
    KEYS.concat(["sort"]).forEach(function (key) { if (state[key]) query.set(key, state[key]); else query.delete(key); });
    var text = query.toString();
    return location.pathname + (text ? "?" + text : "") + location.hash;
  }
  function cell(row, text, label, className) {
    var td = row.insertCell();
    if (label) td.setAttribute("data-label", label);
    if (className) td.className = className;
    td.textContent = text;
    return td;
  }
  function rowOf(e, form, base) {  /* the same markup as generator/site/templates/list.md.j2 */
    var option = form.querySelector('select[data-filter="status"] option[value="' + e.status + '"]');
    var category = form.querySelector('select[data-filter="category"] option[value="' + e.category + '"]');
    var row = document.createElement("tr"), link = document.createElement("a"), badge = document.createElement("span");
    row.dataset.status = e.status; row.dataset.category = e.category; row.dataset.industry = e.industry.code || "";
    link.href = new URL(e.url, base).href; link.textContent = e.name;
    cell(row, "", "", "ipreg-primary").appendChild(link);
    badge.className = "ipreg-badge ipreg-" + e.status; badge.textContent = option ? option.textContent : e.status;
    cell(row, "", "状态").appendChild(badge);
    cell(row, option ? e[option.dataset.field] || "" : "", option ? option.dataset.until : "");
    cell(row, e.uscc, "统一社会信用代码");
    cell(row, ((e.industry.code || "") + " " + (e.industry.name || "")).trim(), "行业");
    cell(row, category ? category.textContent : e.category, "类别");
    return row;
  }
  function setup() {
    var form = document.querySelector("form.ipreg-filters"), table = document.querySelector("table.ipreg-list");
    if (!form || !table || form.dataset.ready) return;
    form.dataset.ready = "1";
    var body = table.tBodies[0], count = form.querySelector(".ipreg-filter-count"), total = +table.dataset.total;
    var page = null, shown_rows = null, whole = null, loading = null, whole_url = form.dataset.whole;
    function rows(state, done) {  /* the rows the state works on: this page's, or the whole list's from the open data */
      var active = KEYS.some(function (key) { return state[key]; }) || state.sort;
      if (!page) page = Array.prototype.slice.call(body.rows);
      if (!whole_url || !active) return done(page, false);
      if (whole) return done(whole, true);
      count.textContent = "正在读取完整名单……";
      loading = loading || fetch(whole_url).then(function (response) { return response.json(); }).then(function (data) {
        var base = new URL(whole_url.replace(/data\/enterprises\.json$/, ""), location.href);
        whole = data.enterprises.filter(function (e) { return e.listed; }).map(function (e) { return rowOf(e, form, base); });
        return whole;
      });
      loading.then(function (list) { done(list, true); }, function () { count.textContent = "完整名单读取失败，请稍后再试或下载名单"; loading = null; });
    }
    function key(row, column) {
      var text = row.cells[column].textContent;
      return column === 1 ? row.dataset.status : text;
    }
    function apply(state) {
      KEYS.forEach(function (k) {  /* a value the page does not offer (an old or mistyped address) filters nothing */
        var s = form.querySelector('select[data-filter="' + k + '"]');
        if (s) { s.value = state[k]; state[k] = s.value; }
      });
      var desc = state.sort.charAt(0) === "-", column = COLUMNS.indexOf(state.sort.replace(/^-/, ""));
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
        if (i === column) th.setAttribute("aria-sort", desc ? "descending" : "ascending"); else th.removeAttribute("aria-sort");
      });
      rows(state, function (list, all) {
        var order = list, shown = 0;
        if (column >= 0) {
          order = list.slice().sort(function (a, b) {
            var x = key(a, column), y = key(b, column), c = column === 0 && pinyin ? pinyin.compare(x, y) : x < y ? -1 : x > y ? 1 : 0;
            return desc ? -c : c;
          });
        }
        order.forEach(function (row) {
          var ok = KEYS.every(function (k) { return !state[k] || row.dataset[k] === state[k]; });
          if (row.hidden === ok) row.hidden = !ok;
          if (ok) shown++;
        });
        if (order !== (shown_rows || page)) {
          var fragment = document.createDocumentFragment();
          order.forEach(function (row) { fragment.appendChild(row); });
          body.textContent = "";
          body.appendChild(fragment);
          shown_rows = order;
        }
        document.querySelectorAll(".ipreg-page-note").forEach(function (note) { note.hidden = all; });
        count.textContent = all || !whole_url ? "显示 " + shown + " 家（共 " + total + " 家）" : "本页 " + shown + " 家（共 " + total + " 家）";
      });
    }
    form.addEventListener("change", function () {
      var state = wanted();
      KEYS.forEach(function (k) { var s = form.querySelector('select[data-filter="' + k + '"]'); state[k] = s ? s.value : ""; });
      history.pushState(null, "", address(state));
      apply(state);
    });
    table.tHead.addEventListener("click", function (event) {
      var th = event.target.closest && event.target.closest("th[data-sort]");
      if (!th) return;
      var state = wanted(), name = th.dataset.sort;
      state.sort = state.sort === name ? "-" + name : name;
      history.pushState(null, "", address(state));
      apply(state);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    window.addEventListener("popstate", function () { apply(wanted()); });
    var state = wanted();
    if (KEYS.some(function (k) { return state[k]; }) || state.sort) apply(state);
    else count.textContent = whole_url ? "本页 " + body.rows.length + " 家（共 " + total + " 家）" : "显示 " + body.rows.length + " 家（共 " + total + " 家）";
  }
  if (typeof document$ !== "undefined") { document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();

/* 历史页面的表格点击表头排序（tablesort）。Material 的即时加载会多次触发 document$。 */
document$.subscribe(function () {
  document.querySelectorAll("table.ipreg-sortable").forEach(function (table) {
    if (!table.dataset.sortable) {
      table.dataset.sortable = "1";
      new Tablesort(table);
    }
  });
});

/* 数据日期：页面比访问者的时钟早 2 天以上时提示“可能已过期”（每日发布停了也看得出来）。 */
(function () {
  var STALE_DAYS = 2;
  function check() {
    document.querySelectorAll(".ipreg-data-date").forEach(function (span) {
      var day = span.getAttribute("data-date");
      var warning = span.parentNode.querySelector(".ipreg-stale");
      if (!day || !warning) return;
      var built = Date.parse(day + "T00:00:00+08:00");
      var age = (Date.now() - built) / 86400000;
      if (age > STALE_DAYS + 1) {  /* the data date is a whole day (Asia/Shanghai): more than 2 full days have passed */
        warning.hidden = false;
        span.hidden = true;
      }
    });
  }
  if (typeof document$ !== "undefined") { document$.subscribe(check); } else { document.addEventListener("DOMContentLoaded", check); }
})();

/* 首页的搜索框（手机上也看得见）：一个按钮，打开页面上方的站内搜索，光标放进搜索框。 */
document.addEventListener("click", function (event) {
  if (!(event.target.closest && event.target.closest(".ipreg-home-search"))) return;
  var toggle = document.getElementById("__search");
  if (toggle && !toggle.checked) {
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change", { bubbles: true }));
  }
  setTimeout(function () {
    var input = document.querySelector(".md-search__input");
    if (input) input.focus();
  }, 50);
});

/* 大字：全站文字放大到 1.25 倍（再点还原），选择保存在本机浏览器中。 */
(function () {
  var KEY = "ipreg-large", root = document.documentElement;
  function show() {
    document.querySelectorAll(".ipreg-large-toggle").forEach(function (button) {
      var on = root.classList.contains("ipreg-large");
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "还原字号" : "大字";
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".ipreg-large-toggle");
    if (!button) return;
    var on = root.classList.toggle("ipreg-large");
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: for this page only */ }
    show();
  });
  if (typeof document$ !== "undefined") { document$.subscribe(show); } else { document.addEventListener("DOMContentLoaded", show); }
})();

/* 看不见的东西不接收键盘焦点：手机上收起的导航抽屉、关闭的搜索框、名单里隐藏的表头（Tab 键不会停在屏幕外）。 */
(function () {
  var drawerWidth = window.matchMedia("(max-width: 76.1875em)"), searchWidth = window.matchMedia("(max-width: 59.9375em)"),
      cardWidth = window.matchMedia("(max-width: 44.9375em)");
  function set(element, off) {
    if (!element) return;
    if (off) element.setAttribute("inert", ""); else element.removeAttribute("inert");
  }
  function update() {
    var drawer = document.getElementById("__drawer"), search = document.getElementById("__search");
    document.querySelectorAll(".md-sidebar--primary, .md-sidebar--secondary").forEach(function (sidebar) {
      var inDrawer = sidebar.classList.contains("md-sidebar--primary") || drawerWidth.matches;
      set(sidebar, drawerWidth.matches && inDrawer && drawer && !drawer.checked);
    });
    set(document.querySelector(".md-search"), searchWidth.matches && search && !search.checked);
    document.querySelectorAll("table.ipreg-table thead").forEach(function (head) { set(head, cardWidth.matches); });
  }
  document.addEventListener("change", function (event) {
    var id = event.target && event.target.id;
    if (id !== "__drawer" && id !== "__search") return;
    update();
    if (id === "__search" && event.target.checked) {
      var input = document.querySelector(".md-search__input");
      if (input) setTimeout(function () { input.focus(); }, 0);
    }
  });
  [drawerWidth, searchWidth, cardWidth].forEach(function (query) {
    if (query.addEventListener) query.addEventListener("change", update);
  });
  if (typeof document$ !== "undefined") { document$.subscribe(update); } else { document.addEventListener("DOMContentLoaded", update); }
})();

/* 日历订阅：把 .ics 链接改成 webcal:// 地址，手机和电脑的日历会订阅它并自动更新（没有 JavaScript 时仍可下载）。 */
document$.subscribe(function () {
  document.querySelectorAll("a.ipreg-webcal").forEach(function (link) {
    var url = new URL(link.getAttribute("href"), location.href);
    if (url.protocol === "https:" || url.protocol === "http:") link.href = "webcal://" + url.host + url.pathname;
  });
});

/* 站内搜索跟上所有输入方式：Material 只在 keyup 时搜索，粘贴、语音输入和输入法上屏不一定有按键事件；
   输入（非输入法拼写中）和输入法上屏时补发一次 keyup，结果随之更新。 */
document.addEventListener("input", function (event) {
  var input = event.target;
  if (input && input.classList && input.classList.contains("md-search__input") && !event.isComposing) {
    input.dispatchEvent(new KeyboardEvent("keyup"));
  }
});
document.addEventListener("compositionend", function (event) {
  var input = event.target;
  if (input && input.classList && input.classList.contains("md-search__input")) input.dispatchEvent(new KeyboardEvent("keyup"));
});

/* 搜索结果上方的数目与列出的一致：搜索程序（workers/ipreg-search.js）最多交给 Material 十个结果，更多时最后一行
   （链接到名单）说“另有 M 个结果没有列出”；这里把上方的数目改成“显示前 N 个结果，另有 M 个”。 */
(function () {
  function notices(list) {
    return Array.prototype.filter.call(list.querySelectorAll(".md-search-result__item"), function (li) {
      var link = li.querySelector("a");
      return link && /\/list\/(\?[^#]*)?#list$/.test(link.href);  // Material adds ?h=… (the words to highlight)
    });
  }
  function reword(meta, list) {
    var items = list.querySelectorAll(".md-search-result__item").length, found = notices(list);
    if (!found.length) return;
    var results = items - found.length, more = /另有 (\d+) 个结果没有列出/.exec(found[found.length - 1].textContent);
    var text = more ? "显示前 " + results + " 个结果，另有 " + more[1] + " 个"
                    : results ? results + " 个符合条件的结果；符合条件的企业太多，没有逐一列出" : "符合条件的企业太多，没有逐一列出";
    if (meta.textContent !== text) meta.textContent = text;
  }
  function watch() {
    var result = document.querySelector(".md-search-result"), meta, list;
    if (!result || result.dataset.ipregCount) return;
    meta = result.querySelector(".md-search-result__meta");
    list = result.querySelector(".md-search-result__list");
    if (!meta || !list || !window.MutationObserver) return;
    result.dataset.ipregCount = "1";
    new MutationObserver(function () { reword(meta, list); }).observe(result, { childList: true, subtree: true, characterData: true });
  }
  if (typeof document$ !== "undefined") { document$.subscribe(watch); } else { document.addEventListener("DOMContentLoaded", watch); }
})();
