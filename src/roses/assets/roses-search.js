/* roses: search results' snippets as readable text (the search page only; roses.site.sphinx_ext).
 *
 * Sphinx's search shows a snippet of each result's page, or of the exhibit a result points at. Its
 * text ran a chart's menu options, table cells and button labels together ("Authority AAuthority B").
 * Here menus, charts, data tables and the chapter's file list are left out, and each paragraph,
 * heading and caption is followed by a space.
 */
(function () {
  "use strict";
  var LEFT_OUT = ".headerlink, script, style, select, .roses-chart-controls, .roses-chart, template, table, " +
    ".roses-download, details, footer.roses-data-used, nav";
  var BLOCKS = "p, li, h1, h2, h3, h4, h5, figcaption, dt, dd, div, section, strong.roses-number, span.roses-badge";

  function readable(htmlString, anchor) {
    var page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(LEFT_OUT).forEach(function (node) { node.remove(); });
    var main = page.querySelector('[role="main"]');
    var root = (anchor && main && main.querySelector(anchor)) || main;
    if (!root) {
      return "";
    }
    root.querySelectorAll(BLOCKS).forEach(function (node) { node.append(" "); });
    return root.textContent.replace(/\s+/g, " ").trim();
  }

  window.addEventListener("DOMContentLoaded", function () {
    if (typeof Search !== "undefined") {  // searchtools.js's global (a const, not a window property)
      Search.htmlToText = readable;  // eslint-disable-line no-undef
    }
  });
})();
