/* roses: a table wider than its box says so ("Scroll sideways for more columns"), on every page with a
 * roses table (roses.site.sphinx_ext links this file). The box gets .roses-scrolls (roses.css marks its
 * right edge) and a line under it, kept up to date as the window is resized and as data tables open.
 * It also unfolds a long exhibit table on request and opens folded notes for print.
 */
(function () {
  "use strict";
  var CUE = "Scroll sideways for more columns.";

  function check(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("roses-scrolls", scrolls);
    var cue = wrap.nextElementSibling;
    if (scrolls && !(cue && cue.classList.contains("roses-scroll-cue"))) {
      cue = document.createElement("p");
      cue.className = "roses-scroll-cue";
      cue.textContent = CUE;
      wrap.parentNode.insertBefore(cue, wrap.nextSibling);
    }
  }

  function checkAll() {
    document.querySelectorAll(".roses-table-wrap").forEach(function (wrap) {
      if (wrap.offsetParent !== null) {  // shown (a closed <details> is checked when opened)
        check(wrap);
      }
    });
  }

  // A long exhibit table shows its first rows (render.py marks the rest .roses-more): the button
  // under it shows them all, and folds them again.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.roses-rows-toggle");
    if (!button) {
      return;
    }
    var wrap = button.previousElementSibling;  // the table's box, or the scroll cue under it
    while (!wrap.classList.contains("roses-table-wrap")) {
      wrap = wrap.previousElementSibling;
    }
    var table = wrap.querySelector("table");
    var folded = table.classList.toggle("roses-condensed");
    button.setAttribute("aria-expanded", String(!folded));
    button.textContent = folded ? "Show all " + Number(button.dataset.rows).toLocaleString("en-GB") + " rows"
      : "Show fewer rows";
    checkAll();
  });

  // Paper has no "open": a caption's notes and a chapter's list of data files print whole, and fold
  // again afterwards. roses-charts.js calls this before it fits the charts to the page under them.
  var openedForPrint = [];
  function openForPrint() {
    document.querySelectorAll("details.roses-notes, footer.roses-data-used details").forEach(function (d) {
      if (!d.open) {
        d.open = true;
        openedForPrint.push(d);
      }
    });
  }
  window.addEventListener("beforeprint", openForPrint);
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });
  window.rosesTables = {openForPrint: openForPrint};

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(checkAll, 150);
  });
  document.addEventListener("toggle", function (event) {
    if (event.target.open) {
      requestAnimationFrame(checkAll);
    }
  }, true);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", checkAll);
  } else {
    checkAll();
  }
})();
