/* roses: a table wider than its box says so ("Scroll sideways for more columns"), on every page with a
 * roses table (roses.site.sphinx_ext links this file). The box gets .roses-scrolls (roses.css marks its
 * right edge) and a line under it, kept up to date as the window is resized and as data tables open.
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
