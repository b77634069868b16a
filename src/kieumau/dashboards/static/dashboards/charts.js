// Charts of the dashboards, drawn by Chart.js from the table beside each chart: the table is the
// data (people who read rather than look read the same numbers), so a chart cannot disagree
// with it. Works under the product's CSP: no inline script or style, no eval; Chart.js sizes its
// canvas through the CSSOM, which the CSP allows.
//
// <table class="data" data-chart="bar|line|doughnut" data-canvas="ID" data-colors="a b c"
//        [data-axis="y"] [data-stacked="true"]>: the row headers (tbody th) are the labels, every
// column whose cells carry data-value is a series named by its column header; colours are the
// CSS custom properties --c-<name> of dashboard.css, one per series (or per row for a doughnut
// or a one-series bar chart).
(function () {
  "use strict";

  function colour(name) {
    var value = getComputedStyle(document.documentElement).getPropertyValue("--c-" + name).trim();
    return value || "#5b6776";
  }

  function read(table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var columns = [];
    rows.forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (cell.hasAttribute("data-value") && columns.indexOf(index) < 0) columns.push(index);
      });
    });
    columns.sort(function (a, b) { return a - b; });
    return {
      labels: rows.map(function (row) { return row.querySelector("th").textContent.trim(); }),
      series: columns.map(function (index) {
        return {
          label: headers[index] ? headers[index].textContent.trim() : "",
          data: rows.map(function (row) {
            var cell = row.children[index];
            return cell ? Number(cell.getAttribute("data-value")) : 0;
          }),
        };
      }),
    };
  }

  function build(table) {
    var canvas = document.getElementById(table.getAttribute("data-canvas"));
    if (!canvas || typeof window.Chart === "undefined") return null;
    var kind = table.getAttribute("data-chart");
    var names = (table.getAttribute("data-colors") || "").split(/\s+/).filter(Boolean);
    var data = read(table);
    var perPoint = kind === "doughnut" || (kind === "bar" && data.series.length === 1 && names.length > 1);
    var datasets = data.series.map(function (series, index) {
      var colours = perPoint ? names.map(colour) : colour(names[index] || names[0] || "muted");
      return {
        label: series.label,
        data: series.data,
        backgroundColor: colours,
        borderColor: kind === "line" ? colours : (kind === "doughnut" ? "#fff" : colours),
        borderWidth: kind === "line" ? 2 : 1,
        tension: 0.2,
        pointRadius: kind === "line" ? 2 : undefined,
      };
    });
    var stacked = table.getAttribute("data-stacked") === "true";
    var options = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: table.getAttribute("data-axis") === "y" ? "y" : "x",
      plugins: { legend: { display: kind !== "bar" || data.series.length > 1, position: "bottom" } },
    };
    if (kind !== "doughnut") {
      options.scales = {
        x: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } },
        y: { stacked: stacked, beginAtZero: true, ticks: { precision: 0, autoSkip: false } },
      };
    }
    return new window.Chart(canvas, { type: kind, data: { labels: data.labels, datasets: datasets }, options: options });
  }

  var charts = [];

  function drawIn(root) {
    Array.prototype.forEach.call(root.querySelectorAll("table[data-chart]:not([data-drawn])"), function (table) {
      var chart = build(table);
      if (chart) {
        charts.push(chart);
        table.setAttribute("data-drawn", "true");
      }
    });
    document.documentElement.setAttribute("data-charts", String(charts.length));
  }

  function start() {
    drawIn(document);
    // Sections loaded after the page (the indicator trends) bring their own tables.
    document.body.addEventListener("htmx:load", function (event) { drawIn(event.detail.elt); });
    // Printing: let the charts take the print layout's size, and come back after.
    window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("afterprint", function () { charts.forEach(function (c) { c.resize(); }); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
