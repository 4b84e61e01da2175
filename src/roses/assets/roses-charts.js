/* roses: draw the page's charts as soon as plotly.js is ready, one chart per task.
 *
 * plotly-cartesian.min.js loads with `async`, so the page's text shows while it downloads and
 * compiles. This small file runs first, in the page head. Each chart's inline script queues a
 * drawing function with window.rosesCharts.push. Once Plotly exists, the queued charts are drawn
 * one per task (setTimeout), never inside the chart's own script: the browser goes on reading and
 * showing the page between charts, and the reader can scroll and click instead of waiting for all
 * of them. A failing chart does not stop the others, and its error reaches the console.
 */
(function () {
  "use strict";
  var queue = [];
  var drawing = false;

  function drawNext() {
    var draw = queue.shift();
    if (!draw) {
      drawing = false;
      return;
    }
    try {
      draw();
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
    push: function (draw) {
      queue.push(draw);
      start();
    }
  };

  var plotly = document.querySelector('script[src*="plotly-cartesian.min.js"]');
  if (plotly) {
    plotly.addEventListener("load", start);
  }
})();
