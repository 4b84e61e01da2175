/* roses: draw the page's charts as soon as plotly.js is ready, one chart per task.
 *
 * plotly-cartesian.min.js loads with `async`, so the page's text shows while it downloads and
 * compiles. This small file runs first, in the page head. Each chart's inline script queues
 * {id, data, layout} with window.rosesCharts.push. Once Plotly exists, the queued charts are drawn
 * one per task (setTimeout), never inside the chart's own script: the browser goes on reading and
 * showing the page between charts, and the reader can scroll and click instead of waiting for all
 * of them. A failing chart does not stop the others, and its error reaches the console.
 *
 * A chart's menus are native <select> elements written into the page (roses.display); plotly's
 * own SVG menus are not drawn. Once the chart is drawn, each <select> is enabled and applies its
 * option's button (plotly's restyle, relayout or update with the button's arguments).
 */
(function () {
  "use strict";
  var CONFIG = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage"]};
  var PHONE_WIDTH = 600;  // below this screen width...
  var PHONE_HEIGHT = 640;  // ...a chart is at least this tall,
  var LEGEND_ROW = 22;  // and a legend beside the plot moves under it (two entries per row)
  var queue = [];
  var drawing = false;

  // On a phone a legend beside the plot squeezes the plot to a sliver, and a wrapped legend on top
  // squashes it: the legend goes under the plot and the chart grows to make room.
  function forScreen(chart, layout) {
    if (window.innerWidth >= PHONE_WIDTH) {
      return layout;
    }
    var legend = layout.legend || {};
    var entries = chart.data.filter(function (trace) { return trace.showlegend !== false; }).length;
    var extra = legend.orientation === "v" ? LEGEND_ROW * Math.ceil(entries / 2) : 0;
    layout.legend = Object.assign({}, legend, {orientation: "h", x: 0, xanchor: "left",
                                               yref: "container", y: 0, yanchor: "bottom"});
    layout.height = Math.max(layout.height || 0, PHONE_HEIGHT) + extra;
    return layout;
  }

  function draw(chart) {
    var div = document.getElementById(chart.id);
    var layout = forScreen(chart, chart.layout);
    div.style.height = layout.height + "px";
    return window.Plotly.newPlot(div, chart.data, layout, CONFIG);
  }

  function connectMenus(chart) {
    var menus = (chart.layout && chart.layout.updatemenus) || [];
    chart.parentNode.querySelectorAll("select[data-roses-menu]").forEach(function (select) {
      var menu = menus[Number(select.getAttribute("data-roses-menu"))];
      if (!menu) {
        return;
      }
      select.addEventListener("change", function () {
        var button = menu.buttons[select.selectedIndex];
        if (button.method && button.method !== "skip") {
          window.Plotly[button.method].apply(null, [chart].concat(button.args || []));
        }
      });
      select.disabled = false;
    });
  }

  function drawNext() {
    var chart = queue.shift();
    if (!chart) {
      drawing = false;
      return;
    }
    try {
      var drawn = draw(chart);  // plotly's promise of the drawn chart
      if (drawn && drawn.then) {
        drawn.then(connectMenus);
      }
    } finally {
      setTimeout(drawNext, 0);
    }
  }

  function start() {
    if (!drawing && window.Plotly && queue.length) {
      drawing = true;
      setTimeout(drawNext, 0);
    }
  }

  window.rosesCharts = {
    push: function (chart) {
      queue.push(chart);
      start();
    }
  };

  var plotly = document.querySelector('script[src*="plotly-cartesian.min.js"]');
  if (plotly) {
    plotly.addEventListener("load", start);
  }
})();
