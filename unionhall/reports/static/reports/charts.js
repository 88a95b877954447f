// The summary report's charts: a bar chart per section (this period against the previous one) and the
// trend over the periods. The server passes labels already translated and the reader's locale (which sets
// the digits: Persian for fa, Arabic-Indic for ar, unless the reader chose Latin ones); no inline script.
(function () {
  "use strict";
  const source = document.getElementById("uh-report-charts");
  if (!source || typeof Chart === "undefined") return;
  const config = JSON.parse(source.textContent);
  const locale = config.locale;
  const rtl = Boolean(config.rtl);
  const number = new Intl.NumberFormat(locale);
  const COLOURS = ["#0d6efd", "#adb5bd", "#198754", "#dc3545", "#fd7e14", "#6f42c1"];

  function draw(chart) {
    const slot = document.querySelector('[data-chart-slot="' + chart.slot + '"]');
    if (!slot) return;
    const figure = document.createElement("figure");
    figure.className = "mb-3";
    const caption = document.createElement("figcaption");
    caption.className = "small text-body-secondary mb-1";
    caption.textContent = chart.title;
    const box = document.createElement("div");
    box.className = "uh-chart-box";
    const canvas = document.createElement("canvas");
    canvas.id = chart.id;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", chart.title);
    box.appendChild(canvas);
    figure.appendChild(caption);
    figure.appendChild(box);
    slot.appendChild(figure);
    const line = chart.type === "line";
    new Chart(canvas, {
      type: chart.type,
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map(function (set, index) {
          const colour = COLOURS[index % COLOURS.length];
          return {
            label: set.label,
            data: set.data,
            backgroundColor: colour,
            borderColor: colour,
            fill: false,
            tension: line ? 0.2 : 0,
          };
        }),
      },
      options: {
        locale: locale,
        responsive: true,
        animation: false,
        plugins: {
          legend: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr", position: "bottom" },
          tooltip: {
            rtl: rtl,
            textDirection: rtl ? "rtl" : "ltr",
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + number.format(item.parsed.y);
              },
            },
          },
        },
        scales: {
          x: { reverse: rtl, ticks: { autoSkip: false, maxRotation: 45 } },
          y: {
            beginAtZero: true,
            position: rtl ? "right" : "left",
            ticks: {
              callback: function (value) {
                return number.format(value);
              },
            },
          },
        },
      },
    });
  }

  config.charts.forEach(draw);
})();
