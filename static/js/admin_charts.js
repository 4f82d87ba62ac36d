// Draws the charts of the admin metrics pages with Chart.js (loaded before
// this file, as window.Chart). Each <canvas data-chart="ID"> reads its data
// from <script type="application/json" id="ID">; the table next to it has
// the same figures for screen readers and copying.
const Chart = window.Chart;

const brand = "#047857";
const accent = "#d97706";
const palette = [brand, accent, "#2563eb", "#6b7280"];

const lang = document.documentElement.lang || "es";
const pesos = new Intl.NumberFormat(lang === "en" ? "en-US" : "es-MX", {
  style: "currency", currency: "MXN", currencyDisplay: "narrowSymbol", maximumFractionDigits: 0,
});
const plain = new Intl.NumberFormat(lang === "en" ? "en-US" : "es-MX");

function draw(canvas) {
  const block = document.getElementById(canvas.dataset.chart);
  if (!block) return;
  let spec;
  try {
    spec = JSON.parse(block.textContent);
  } catch {
    return;
  }
  const doughnut = spec.type === "doughnut";
  const twoAxes = spec.datasets.some((d) => d.line);
  const datasets = spec.datasets.map((d, i) => ({
    label: d.label,
    data: d.data,
    type: d.line ? "line" : undefined,
    yAxisID: doughnut ? undefined : d.line ? "y2" : "y",
    backgroundColor: doughnut ? palette : d.line ? accent : brand,
    borderColor: doughnut ? "#fff" : d.line ? accent : brand,
    borderWidth: d.line ? 2 : 0,
    pointRadius: d.line ? 2 : 0,
    money: !!d.money,
    order: d.line ? 0 : 1 + i,
  }));
  const tick = (money) => (v) => (money ? pesos.format(v) : plain.format(v));
  const scales = doughnut ? {} : {
    x: { ticks: { maxRotation: 60, autoSkip: true, font: { size: 11 } }, grid: { display: false } },
    y: {
      beginAtZero: true,
      ticks: { precision: 0, callback: tick(spec.datasets.some((d) => d.money && !d.line)), font: { size: 11 } },
    },
  };
  if (twoAxes) {
    scales.y2 = {
      beginAtZero: true, position: "right", grid: { drawOnChartArea: false },
      ticks: { callback: tick(true), font: { size: 11 } },
    };
  }
  new Chart(canvas, {
    type: spec.type,
    data: { labels: spec.labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales,
      plugins: {
        legend: { display: doughnut || spec.datasets.length > 1, position: "bottom" },
        tooltip: {
          callbacks: {
            label: (ctx) => {
              const v = doughnut ? ctx.parsed : ctx.parsed.y;
              return `${ctx.dataset.label}: ${ctx.dataset.money ? pesos.format(v) : plain.format(v)}`;
            },
          },
        },
      },
    },
  });
}

if (Chart) {
  Chart.defaults.font.family = "Inter, system-ui, sans-serif";
  Chart.defaults.color = "#374151";
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
}
