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
