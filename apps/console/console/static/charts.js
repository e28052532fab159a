// Charts of the report and drive pages: every [data-chart] element holds an Apache ECharts
// option as JSON (written by the server; no inline script under the Content-Security-Policy).
// data-chart-format="yuan" formats value axes and tooltips as ¥1,234.00.
(function () {
  "use strict";
  var yuan = new Intl.NumberFormat("zh-CN", { style: "currency", currency: "CNY" });
  function money(value) { return yuan.format(Number(value)); }
  function withFormat(option, format) {
    if (format !== "yuan") { return option; }
    option.tooltip = Object.assign({ valueFormatter: money }, option.tooltip || {});
    [].concat(option.yAxis || [], option.xAxis || []).forEach(function (axis) {
      if (axis && axis.type === "value") {
        axis.axisLabel = Object.assign({ formatter: money }, axis.axisLabel || {});
      }
    });
    return option;
  }
  var charts = [];
  // A chart whose element an htmx swap took out of the page is disposed (its canvas, its
  // listeners), not kept and resized for ever.
  function forgetDetached() {
    charts = charts.filter(function (chart) {
      if (document.body.contains(chart.getDom())) { return true; }
      chart.dispose();
      return false;
    });
  }
  function draw(root) {
    forgetDetached();
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.getAttribute("data-chart-drawn") || typeof echarts === "undefined") { return; }
      var option = withFormat(JSON.parse(el.getAttribute("data-chart")),
        el.getAttribute("data-chart-format"));
      option.animation = false;
      var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
      chart.setOption(option);
      el.setAttribute("data-chart-drawn", "1");
      charts.push(chart);
    });
  }
  // For tests and the curious: how many charts are alive.
  window.consoleCharts = function () { forgetDetached(); return charts.length; };
  function resize() { forgetDetached(); charts.forEach(function (c) { c.resize(); }); }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
  document.addEventListener("htmx:afterSettle", forgetDetached);
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
})();
