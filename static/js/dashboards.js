// The statistics page's charts: each <canvas data-chart="ID"> is drawn from the JSON in <script id="ID">, the
// same figures as the table under it (which is what a page without JavaScript, or a screen reader, reads).
(function () {
  "use strict";
  // A country profile's "Print" button (the page prints without it too: the browser's own print).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
  if (typeof window.Chart === "undefined") {
    return;
  }
  var rtl = document.documentElement.dir === "rtl";
  var palette = ["#0b5394", "#38761d", "#b45f06", "#741b47", "#134f5c", "#7f6000", "#990000", "#351c75"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var round = data.kind === "doughnut";
    canvas.parentElement.hidden = false;
    new window.Chart(canvas, {
      type: data.kind,
      data: {
        labels: data.labels,
        datasets: [{
          data: data.values,
          backgroundColor: round ? palette : palette[0],
          borderColor: palette[0],
          fill: false,
        }],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: data.kind === "bar" ? "y" : "x",
        locale: document.documentElement.lang || "en",
        plugins: {
          legend: {display: round, rtl: rtl},
          tooltip: {
            rtl: rtl,
            callbacks: {
              // The whole label (the axis shows it cut when it is long).
              title: function (items) {
                return items.length && data.titles ? data.titles[items[0].dataIndex] : undefined;
              },
            },
          },
        },
        scales: round ? {} : {
          x: {reverse: rtl, beginAtZero: true, ticks: {precision: 0}},
          y: {position: rtl ? "right" : "left", beginAtZero: true, ticks: {precision: 0}},
        },
      },
    });
  });
})();
