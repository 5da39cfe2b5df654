/* 名单和历史页面的表格点击表头排序（tablesort）。Material 的即时加载会多次触发 document$。 */
document$.subscribe(function () {
  document.querySelectorAll("table.ipreg-sortable").forEach(function (table) {
    if (!table.dataset.sortable) {
      table.dataset.sortable = "1";
      new Tablesort(table);
    }
  });
});
