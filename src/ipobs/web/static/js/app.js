/* IP Observatory charts. Each chart is a <div class="chart" data-spec="ID"> with its data in
   <script type="application/json" id="ID">. The server computes every number; this file only
   draws them. When every chart has rendered, window.ipobsChartsReady becomes true. */
(function () {
  "use strict";
  var COLORS = { actual: "#1d4e89", forecast: "#6b8fbf", band80: "rgba(29,78,137,0.28)",
                 band95: "rgba(29,78,137,0.12)", target: "#c62828", bar: "#1d4e89" };
  var nf = new Intl.NumberFormat(document.documentElement.lang || "zh-CN", { maximumFractionDigits: 2 });
  function fmt(v) { return v === null || v === undefined ? "—" : nf.format(v); }

  function sparkline(spec) {
    var data = spec.years.map(function (y, i) { return [String(y), spec.values[i]]; });
    var fc = (spec.forecast || []).map(function (f) { return [String(f.year), f.mean]; });
    if (fc.length && data.length) { fc.unshift(data[data.length - 1]); }
    var series = [
      { type: "line", data: data, showSymbol: false, lineStyle: { width: 2, color: COLORS.actual }, areaStyle: { color: "rgba(29,78,137,0.08)" } },
      { type: "line", data: fc, showSymbol: false, lineStyle: { width: 1.5, type: "dashed", color: COLORS.forecast } }
    ];
    if (spec.target !== null && spec.target !== undefined) {
      series[0].markLine = { silent: true, symbol: "none", label: { show: false },
        lineStyle: { color: COLORS.target, type: "dotted" }, data: [{ yAxis: spec.target }] };
    }
    return {
      animation: false, grid: { left: 2, right: 2, top: 4, bottom: 2 },
      xAxis: { type: "category", show: false, boundaryGap: false,
               data: spec.years.concat((spec.forecast || []).map(function (f) { return f.year; })).map(String) },
      yAxis: { type: "value", show: false, scale: true },
      tooltip: { trigger: "axis", confine: true, valueFormatter: fmt },
      series: series
    };
  }

  function band(name, lo, hi, color, stack) {
    // a band between lo and hi drawn as an invisible base plus a filled difference
    return [
      { name: name, type: "line", stack: stack, data: lo, showSymbol: false, lineStyle: { opacity: 0 }, itemStyle: { color: color }, tooltip: { show: false } },
      { name: name, type: "line", stack: stack, showSymbol: false, lineStyle: { opacity: 0 }, itemStyle: { color: color }, areaStyle: { color: color },
        data: hi.map(function (h, i) { return h === null || lo[i] === null ? null : h - lo[i]; }), tooltip: { show: false } }
    ];
  }

  function fan(spec) {
    var years = spec.years.map(String), fyears = (spec.forecast || []).map(function (f) { return String(f.year); });
    var axis = years.concat(fyears.filter(function (y) { return years.indexOf(y) < 0; }));
    function at(list, key) {
      return axis.map(function (y) {
        var f = list.filter(function (r) { return String(r.year) === y; })[0];
        return f ? f[key] : null;
      });
    }
    var actual = axis.map(function (y) { var i = years.indexOf(y); return i < 0 ? null : spec.values[i]; });
    var fc = spec.forecast || [];
    var hasTarget = spec.target !== null && spec.target !== undefined;
    var series = []
      .concat(band(spec.labels.band95, at(fc, "lo95"), at(fc, "hi95"), COLORS.band95, "b95"))
      .concat(band(spec.labels.band80, at(fc, "lo80"), at(fc, "hi80"), COLORS.band80, "b80"));
    series.push({ name: spec.labels.forecast, type: "line", data: at(fc, "mean"), lineStyle: { type: "dashed", color: COLORS.forecast }, itemStyle: { color: COLORS.forecast } });
    series.push({ name: spec.labels.actual, type: "line", data: actual, lineStyle: { width: 2.5, color: COLORS.actual }, itemStyle: { color: COLORS.actual } });
    if (spec.target !== null && spec.target !== undefined) {
      series[series.length - 1].markLine = { symbol: "none", lineStyle: { color: COLORS.target, type: "dotted", width: 2 },
        label: { formatter: spec.labels.target + " " + fmt(spec.target) }, data: [{ yAxis: spec.target }] };
    }
    return {
      animation: false, grid: { left: 60, right: 30, top: 36, bottom: 30 },
      legend: { top: 0, data: [spec.labels.actual, spec.labels.forecast,
                               { name: spec.labels.band80, icon: "rect" }, { name: spec.labels.band95, icon: "rect" }] },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      xAxis: { type: "category", data: axis, boundaryGap: false },
      // keep the target line in view even when it is far from the series
      yAxis: { type: "value", scale: true, axisLabel: { formatter: fmt },
               max: function (v) { return hasTarget ? Math.max(v.max, spec.target) : v.max; },
               min: function (v) { return hasTarget ? Math.min(v.min, spec.target) : v.min; } },
      series: series
    };
  }

  function bar(spec) {
    return {
      animation: false, grid: { left: 10, right: 40, top: 10, bottom: 10, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: fmt },
      xAxis: { type: "value", axisLabel: { formatter: fmt } },
      yAxis: { type: "category", data: spec.categories, inverse: true },
      series: [{ type: "bar", data: spec.values, itemStyle: { color: COLORS.bar }, label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } } }]
    };
  }

  var builders = { sparkline: sparkline, fan: fan, bar: bar };

  function renderAll() {
    var nodes = document.querySelectorAll("[data-spec]");
    var pending = nodes.length;
    function done() {
      pending -= 1;
      if (pending <= 0) { window.ipobsChartsReady = true; document.body.setAttribute("data-charts-ready", "1"); }
    }
    if (!pending || typeof echarts === "undefined") {
      window.ipobsChartsReady = !pending; if (!pending) { document.body.setAttribute("data-charts-ready", "1"); }
      return;
    }
    nodes.forEach(function (node) {
      var spec = JSON.parse(document.getElementById(node.getAttribute("data-spec")).textContent);
      var chart = echarts.init(node, null, { renderer: "canvas" });
      var fired = false;
      chart.on("finished", function () { if (!fired) { fired = true; done(); } });
      chart.setOption(builders[spec.type](spec));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", renderAll); } else { renderAll(); }
})();
