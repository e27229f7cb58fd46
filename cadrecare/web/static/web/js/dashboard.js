/* 总览's two trend charts (web/dashboard/index.html), drawn by the vendored
   ECharts build from the page's JSON (#dash-trend-data). Without JavaScript
   the same figures are in the table under the charts. */
(function () {
  "use strict";

  function draw() {
    var data = JSON.parse(document.getElementById("dash-trend-data").textContent);
    var charts = [];
    var common = {
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 36, right: 12, top: 36, bottom: 28 },
      xAxis: { type: "category", data: data.months.map(function (m) { return m.slice(2); }) },
      yAxis: { type: "value", minInterval: 1 }
    };
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      var option = Object.assign({}, common);
      if (element.dataset.chart === "work") {
        option.series = data.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; });
      } else {
        option.yAxis = { type: "value", min: 0, max: 100 };
        option.series = [{ name: data.rest.name, type: "line", data: data.rest.data, connectNulls: true,
                           symbolSize: 6, label: { show: false } }];
      }
      chart.setOption(option);
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
