/* 名单和历史页面的表格点击表头排序（tablesort）。Material 的即时加载会多次触发 document$。 */
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

/* 首页的搜索框（手机上也看得见）：它是打开站内搜索的按钮，回车和空格键同样打开。 */
document$.subscribe(function () {
  document.querySelectorAll(".ipreg-home-search").forEach(function (label) {
    if (label.dataset.ready) return;
    label.dataset.ready = "1";
    label.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        label.click();
      }
    });
    label.addEventListener("click", function () {  /* the cursor in the search field, ready to type */
      setTimeout(function () {
        var input = document.querySelector(".md-search__input");
        if (input) input.focus();
      }, 50);
    });
  });
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
