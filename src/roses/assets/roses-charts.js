/* roses: draw the page's charts when they come into view, one chart per task.
 *
 * Each chart's inline script queues {id, data, layout} with window.rosesCharts.push (an array until
 * this file, loaded with defer, runs and takes the queued charts over). plotly.js is
 * fetched only when the first chart comes near the screen (the script tag is added then, from the
 * same folder as this file, with the version Sphinx gave it in data-plotly-version): a reader who
 * reads the text first downloads and compiles nothing for charts. Charts are then drawn one per task
 * (setTimeout) as they come within a screen of the viewport, never inside the chart's own script; a
 * failing chart does not stop the others, and its error reaches the console. rosesCharts.drawAll()
 * draws every chart (printing and the PDF do).
 *
 * A chart's menus are native <select> elements written into the page (roses.pages.render); plotly's
 * own SVG menus are not drawn. Once the chart is drawn, each <select> is enabled and applies its
 * option's button (plotly's restyle, relayout or update with the button's arguments).
 *
 * Layout for the screen: a legend never scrolls (a legend taller than the plot moves above it, in
 * rows, and the chart grows to keep the plot's size); on a phone notes under the plot re-wrap to the
 * screen's width. A chart is laid out again when its width changes (a window resized, a phone
 * turned). On a touch screen a chart takes taps (hover labels), never drags: a swipe scrolls the
 * page, nothing zooms. Links to a view: the menus' choices live in the page address
 * (#figure-7-8?highlight=authority-h), are restored on load, and "Copy link" gives that address.
 * "Save PNG" and "Save SVG" give the chart with what the page says around it: the exhibit's number
 * and title above, the origin badge's words, the source and the page address below (no network).
 * A data table is kept in a <template> until its <details> is opened (a long chapter's DOM stays
 * small). Printing draws every chart at the paper's width and opens every short data table.
 */
(function () {
  "use strict";
  // Every layout change is ours (relayoutAll), so plotly's own window-resize handler is off.
  var CONFIG = {displaylogo: false, responsive: false, displayModeBar: false};
  // A touch screen: taps show hover labels, swipes scroll the page (no drag to zoom or pan).
  var TOUCH = (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) || navigator.maxTouchPoints > 0;
  var TOUCH_CONFIG = {displaylogo: false, responsive: false, displayModeBar: false, scrollZoom: false,
                      doubleClick: false, showAxisDragHandles: false};
  var PRINT_WIDTH = 640;  // CSS px inside an exhibit's card on A4 or Letter paper
  var PRINT_HEIGHT = 600;  // at most, so that a card's caption and its chart share a page
  var PAGE_ROOM = 880;  // CSS px a card may fill on A4 or Letter paper inside the @page margins
  var PRINT_PLOT = 200;  // the least height of a printed chart's plotting area
  var PHONE_WIDTH = 600;  // below this screen width...
  var PHONE_HEIGHT = 560;  // ...a chart is at least this tall
  var LEGEND_ROW = 22;  // px per legend row
  var NOTE_LINE = 18;  // px per line of a note under the plot
  var queue = [];
  var drawing = false;
  var charts = {};  // chart div id -> {chart, menus, selects}

  function entries(chart) {
    var seen = {};
    return chart.data.filter(function (trace) {
      if (trace.showlegend === false || trace.visible === false) {
        return false;
      }
      var key = trace.legendgroup && trace.legendgroup !== "" ? trace.legendgroup + "|" + trace.name : Math.random();
      if (seen[key]) {
        return false;
      }
      seen[key] = true;
      return true;
    }).length;
  }

  function textWidth(text, size) {
    return String(text || "").replace(/<[^>]+>/g, "").length * size * 0.56;
  }

  // A legend beside the plot that cannot show every entry, and any legend on a phone, goes above the
  // plot in rows of equal entries; the chart grows by the legend's height.
  function placeLegend(chart, layout, width) {
    chart.legendFolds = false;
    if (layout.showlegend === false) {
      return layout;
    }
    var legend = layout.legend || {};
    var count = entries(chart);
    if (!count) {
      return layout;
    }
    var margin = layout.margin || {};
    var plotHeight = (layout.height || 420) - (margin.t || 20) - (margin.b || 60);
    var beside = legend.orientation === "v" || (legend.x || 0) > 1;
    var phone = width < PHONE_WIDTH;
    if (!phone && !beside) {
      return layout;  // plotly wraps a legend above the plot into rows
    }
    var size = phone ? 12 : 13;
    var names = chart.data.filter(function (t) { return t.showlegend !== false && t.visible !== false; })
      .map(function (t) { return t.name; });
    var longest = Math.max.apply(null, names.map(function (n) { return textWidth(n, size); }).concat([40]));
    // Beside the plot only if every entry shows and the plot keeps more than half the chart's width.
    var plotWidth = width - (margin.l === undefined ? 60 : margin.l) - (longest + 60);
    if (!phone && count * (LEGEND_ROW - 1) <= plotHeight && plotWidth >= 0.5 * width) {
      layout.legend = Object.assign({}, legend, {tracegroupgap: 0});
      return layout;
    }
    var entryWidth = Math.ceil(longest + 48);
    var perRow = Math.max(1, Math.floor((width - 24) / entryWidth));
    var rows = Math.ceil(count / perRow);
    // On a phone a legend that would take more than half the plot's height is folded away behind a
    // "Show the legend" button (addTools): the chart stays within about a screen.
    // (plotly wraps a horizontal legend at the plot's width, each entry taking its symbol's width too)
    var plotRoom = width - (margin.l === undefined ? 60 : margin.l) - (margin.r === undefined ? 20 : margin.r);
    var phoneRows = Math.ceil(count / Math.max(1, Math.floor(plotRoom / (entryWidth + 40))));
    chart.legendFolds = phone && phoneRows * LEGEND_ROW > plotHeight / 2;
    if (chart.legendFolds && !chart.legendOpen) {
      layout.showlegend = false;
      return layout;
    }
    layout.legend = Object.assign({}, legend, {
      orientation: "h", x: 0, xanchor: "left", y: 1, yref: "container", yanchor: "top",
      entrywidth: entryWidth, entrywidthmode: "pixels", tracegroupgap: 0, font: {size: size},
      itemwidth: 30
    });
    var top = rows * LEGEND_ROW + 12;
    var oldTop = beside ? (margin.t || 20) : Math.max(margin.t || 20, 20);
    layout.margin = Object.assign({}, margin, {t: top + (beside ? 10 : Math.max(oldTop - 30, 10))});
    if (beside) {
      layout.margin.r = Math.max(20, Math.min(margin.r || 20, 30));
    }
    // Plot titles of subplots sit just above each panel: keep them below the legend.
    layout.height = (layout.height || 420) + layout.margin.t - (margin.t || 20);
    layout._rosesLegendTop = layout.margin.t - top;  // room kept between the legend and the plot
    return layout;
  }

  function wrap(text, width) {
    var words = text.split(/\s+/), lines = [], line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) {
      lines.push(line);
    }
    return lines;
  }

  // Notes under the plot (paper annotations below the axis) re-wrap to the chart's width.
  function rewrapNotes(layout, width) {
    var extra = 0;
    (layout.annotations || []).forEach(function (note) {
      if (note.xref !== "paper" || note.yref !== "paper" || (note.y || 0) > 0 || note.yanchor !== "top") {
        return;
      }
      var size = (note.font && note.font.size) || 12;
      var margin = layout.margin || {};
      var room = width - (margin.l === undefined ? 60 : margin.l) - (margin.r === undefined ? 20 : margin.r);
      var chars = Math.max(24, Math.floor((room - 8) / (size * 0.6)));
      if (chars >= 95) {
        return;  // written for a desktop-wide chart
      }
      var paragraphs = String(note.text).split(/<br\s*\/?>\s*(?=[a-zA-Z]\s=\s|Lines\s)/);
      var before = String(note.text).split(/<br\s*\/?>/).length;
      var lines = [];
      paragraphs.forEach(function (p) { lines = lines.concat(wrap(p.replace(/<br\s*\/?>/g, " "), chars)); });
      note.text = lines.join("<br>");
      note.x = 0;
      note.xanchor = "left";
      extra += (lines.length - before) * NOTE_LINE;
    });
    if (extra) {
      layout.margin = Object.assign({}, layout.margin || {}, {b: ((layout.margin || {}).b || 60) + extra});
      layout.height = (layout.height || 420) + extra;
    }
    return layout;
  }

  // On a phone an axis title longer than the plot is wide goes onto two or more lines.
  function wrapAxisTitles(layout, width) {
    var margin = layout.margin || {};
    var room = width - (margin.l === undefined ? 60 : margin.l) - (margin.r === undefined ? 20 : margin.r);
    Object.keys(layout).filter(function (k) { return /^xaxis\d*$/.test(k); }).forEach(function (key) {
      var axis = layout[key], title = axis && axis.title;
      var text = title && (typeof title === "string" ? title : title.text);
      if (!text) {
        return;
      }
      var size = (title.font && title.font.size) || 14;
      var chars = Math.floor(room / (size * 0.58));
      var flat = String(text).replace(/<br\s*\/?>/g, " ");
      if (flat.length <= chars) {
        return;
      }
      var lines = wrap(flat, chars);
      var before = String(text).split(/<br\s*\/?>/).length;
      layout[key] = Object.assign({}, axis, {title: Object.assign({}, typeof title === "string" ? {} : title,
                                                                   {text: lines.join("<br>")})});
      if (lines.length > before) {
        var extra = (lines.length - before) * (size + 4);
        layout.margin = Object.assign({}, layout.margin || {}, {b: (margin.b || 60) + extra});
        layout.height = (layout.height || 420) + extra;
      }
    });
    return layout;
  }

  function forScreen(chart, layout, width) {
    layout = Object.assign({}, layout);
    var least = layout.meta && layout.meta.roses_min_width;
    if (least && width < least) {
      // A diagram keeps its size and scrolls sideways inside its card.
      var div = document.getElementById(chart.id);
      if (!div.parentNode.classList.contains("roses-chart-scroll")) {
        var box = document.createElement("div");
        box.className = "roses-chart-scroll";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Diagram (scrolls sideways)");
        div.parentNode.insertBefore(box, div);
        box.appendChild(div);
      }
      div.style.width = least + "px";
      div.style.maxWidth = "none";
      return placeLegend(chart, layout, least);
    }
    if (width < PHONE_WIDTH) {
      layout.height = Math.max(layout.height || 0, PHONE_HEIGHT);
      layout.margin = Object.assign({}, layout.margin || {}, {l: Math.min((layout.margin || {}).l || 60, 56), r: 12});
      layout.font = Object.assign({}, layout.font || {}, {size: 12});
    }
    layout = placeLegend(chart, layout, width);
    if (width < PHONE_WIDTH) {
      layout = wrapAxisTitles(layout, width);
    }
    return rewrapNotes(layout, width);
  }

  // A legend moved above the plot: once drawn, the top margin is set to the legend's real height.
  function fitLegend(div, layout) {
    var legend = div.querySelector(".legend");
    if (layout._rosesLegendTop === undefined || !legend) {
      return div;
    }
    var height = Math.ceil(legend.getBBox().height) + 8;
    var top = height + layout._rosesLegendTop;
    var change = top - layout.margin.t;
    if (Math.abs(change) < 4) {
      return div;
    }
    var total = layout.height + change;
    div.style.height = total + "px";
    return window.Plotly.relayout(div, {"margin.t": top, height: total});
  }

  // After drawing: a note or an x-axis title that runs past the chart's edge is wrapped to fit, and
  // the chart grows by the lines added under the plot.
  function fitText(div) {
    var svg = div.querySelector("svg.main-svg");
    if (!svg) {
      return div;
    }
    var edge = svg.getBoundingClientRect();
    var update = {}, extra = 0;
    function fitted(text, node, size, centred) {
      var box = node.getBoundingClientRect();
      if (box.left >= edge.left - 1 && box.right <= edge.right + 1) {
        return null;
      }
      var room = centred ? 2 * Math.min(box.left + box.width / 2 - edge.left, edge.right - box.left - box.width / 2)
        : edge.right - Math.max(box.left, edge.left);
      var chars = Math.max(16, Math.floor((room - 8) / (size * 0.6)));
      var flat = String(text).replace(/<br\s*\/?>/g, " ");
      var lines = wrap(flat, chars);
      return {text: lines.join("<br>"), added: lines.length - String(text).split(/<br\s*\/?>/).length};
    }
    (div.layout.annotations || []).forEach(function (note, i) {
      var node = div.querySelector('.annotation[data-index="' + i + '"] text');
      if (!node || !note.text) {
        return;
      }
      var size = (note.font && note.font.size) || 12;
      var result = fitted(note.text, node, size, note.xanchor === "center" || note.xanchor === undefined);
      if (result) {
        update["annotations[" + i + "].text"] = result.text;
        if (note.yref === "paper" && note.y <= 0) {
          extra += Math.max(0, result.added) * (size + 5);
        }
      }
    });
    Object.keys(div.layout).filter(function (k) { return /^xaxis\d*$/.test(k); }).forEach(function (key) {
      var title = div.layout[key].title;
      var node = div.querySelector(".g-" + key.replace("axis", "") + "title text");
      if (!title || !title.text || !node) {
        return;
      }
      var size = (title.font && title.font.size) || 14;
      var result = fitted(title.text, node, size, true);
      if (result) {
        update[key + ".title.text"] = result.text;
        extra += Math.max(0, result.added) * (size + 5);
      }
    });
    if (!Object.keys(update).length) {
      return div;
    }
    if (extra) {
      update["margin.b"] = (div.layout.margin.b || 60) + extra;
      update.height = div.layout.height + extra;
      div.style.height = update.height + "px";
    }
    return window.Plotly.relayout(div, update);
  }

  // No drag mode and fixed axes: plotly then leaves a swipe over the chart to the page.
  function forTouch(layout) {
    if (!TOUCH) {
      return layout;
    }
    layout.dragmode = false;
    ["xaxis", "yaxis"].concat(Object.keys(layout).filter(function (k) { return /^[xy]axis\d+$/.test(k); }))
      .forEach(function (key) { layout[key] = Object.assign({}, layout[key] || {}, {fixedrange: true}); });
    return layout;
  }

  function clone(value) {
    return JSON.parse(JSON.stringify(value));
  }

  function widthFor(div) {
    var box = div.parentNode.classList.contains("roses-chart-scroll") ? div.parentNode.parentNode : div.parentNode;
    return Math.min(box.getBoundingClientRect().width || window.innerWidth, window.innerWidth);
  }

  // Draws from a copy of the page's spec (plotly changes what it is given; a redraw starts afresh).
  // ``width``: the width to lay out for (the container's, or the paper's when printing).
  // ``room``: when printing, the height left on the page under the card's words (printRoom).
  function draw(chart, width, room) {
    var div = document.getElementById(chart.id);
    var paper = Boolean(width);  // printing: the paper's width, whatever the window's, and a page's height
    width = width || widthFor(div);
    var layout = forTouch(forScreen(chart, clone(chart.layout), width));
    if (paper) {
      layout.width = width;
      var margin = layout.margin || {};
      var around = (margin.t === undefined ? 100 : margin.t) + (margin.b === undefined ? 80 : margin.b);
      layout.height = Math.min(layout.height, Math.max(Math.min(PRINT_HEIGHT, room || PRINT_HEIGHT), around + PRINT_PLOT));
    }
    var rosesTop = layout._rosesLegendTop;
    delete layout._rosesLegendTop;
    div.style.height = layout.height + "px";
    div.setAttribute("data-roses-width", String(Math.round(width)));
    var data = clone(chart.data);
    if (paper) {  // paper cannot show a hidden line: its legend names only the lines drawn
      data.forEach(function (trace) {
        if (trace.visible === "legendonly") {
          trace.showlegend = false;
        }
      });
    }
    var drawn = window.Plotly.newPlot(div, data, layout, TOUCH ? TOUCH_CONFIG : CONFIG);
    return drawn && drawn.then ? drawn.then(function (gd) {
      return fitLegend(gd, Object.assign({}, layout, {_rosesLegendTop: rosesTop}));
    }).then(function () { return fitText(div); }).then(function () { return div; }) : drawn;
  }

  // A chart laid out again for its new width (window resized, phone turned, printing), its menus'
  // choices applied again.
  function redraw(entry, width, room) {
    var drawn = draw(entry.chart, width, room);
    function reapply() {
      entry.selects.forEach(function (select) {
        var menu = entry.menus[Number(select.getAttribute("data-roses-menu"))];
        if (select.selectedIndex !== (menu.active || 0)) {
          apply(entry, select);
        }
      });
    }
    reapply();  // at once (printing does not wait), and again once the legend and notes are fitted
    showLegendButton(entry);
    return drawn && drawn.then ? drawn.then(function () { reapply(); return entry.div; }) : drawn;
  }

  var resizeTimer = null;
  function relayoutAll() {
    Object.keys(charts).forEach(function (id) {
      var entry = charts[id];
      var drawnAt = Number(entry.div.getAttribute("data-roses-width"));
      if (Math.abs(widthFor(entry.div) - drawnAt) >= 8) {
        redraw(entry);
      }
    });
  }
  function relayoutSoon() {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(relayoutAll, 150);
  }
  window.addEventListener("resize", relayoutSoon);
  window.addEventListener("orientationchange", relayoutSoon);

  // --- Links to a view --------------------------------------------------------------------------

  function slug(text) {
    return String(text).toLowerCase().replace(/<[^>]+>/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function anchorOf(div) {
    var figure = div.closest("figure.roses-exhibit");
    return figure ? figure.id.replace(/-exhibit$/, "") : div.id;
  }

  function keyOf(select) {
    var label = select.parentNode.querySelector("label");
    return slug(label ? label.textContent : "menu").split("-")[0] || "menu";
  }

  function viewQuery(entry) {
    return entry.selects.map(function (select) {
      var option = select.options[select.selectedIndex];
      return keyOf(select) + "=" + slug(option ? option.textContent : select.selectedIndex);
    }).join("&");
  }

  function viewLink(entry) {
    var query = viewQuery(entry);
    return location.href.split("#")[0] + "#" + anchorOf(entry.div) + (query ? "?" + query : "");
  }

  function parseHash() {
    var hash = decodeURIComponent(location.hash.replace(/^#/, ""));
    var at = hash.indexOf("?");
    if (at < 0) {
      return null;
    }
    var wanted = {};
    hash.slice(at + 1).split("&").forEach(function (pair) {
      var parts = pair.split("=");
      if (parts[0]) {
        wanted[parts[0].toLowerCase()] = (parts[1] || "").toLowerCase();
      }
    });
    return {anchor: hash.slice(0, at), wanted: wanted};
  }

  function optionFor(select, value) {
    var options = [].slice.call(select.options);
    for (var i = 0; i < options.length; i++) {
      var label = slug(options[i].textContent);
      // "authority-h", or "h" for "Authority H", or the option's number
      if (label === value || label.split("-").pop() === value || String(i) === value) {
        return i;
      }
    }
    return -1;
  }

  function apply(entry, select) {
    var button = entry.menus[Number(select.getAttribute("data-roses-menu"))].buttons[select.selectedIndex];
    if (button && button.method && button.method !== "skip") {
      window.Plotly[button.method].apply(null, [entry.div].concat(button.args || []));
    }
  }

  function restore(entry) {
    var view = parseHash();
    if (!view || view.anchor !== anchorOf(entry.div)) {
      return;
    }
    entry.selects.forEach(function (select) {
      var index = optionFor(select, view.wanted[keyOf(select)] || "");
      if (index >= 0 && index !== select.selectedIndex) {
        select.selectedIndex = index;
        apply(entry, select);
      }
    });
    var figure = entry.div.closest("figure") || entry.div;
    figure.scrollIntoView();
  }

  function copy(text, status) {
    function fallback() {
      var field = document.createElement("textarea");
      field.value = text;
      field.setAttribute("readonly", "");
      field.style.position = "fixed";
      field.style.opacity = "0";
      document.body.appendChild(field);
      field.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(field);
      status.textContent = ok ? "Link copied." : "Copy this link: " + text;
    }
    status.setAttribute("data-link", text);
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { status.textContent = "Link copied."; }, fallback);
    } else {
      fallback();
    }
  }

  // --- Saved images say what they are ----------------------------------------------------------
  // The chart as plotly exports it, framed by the exhibit's number and title above and the origin
  // badge's words, the source and the page address below: an image shared on its own still says
  // whether its numbers are published, illustrative, national or local, and where they come from.
  var SAVE_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";
  var SAVE_PAD = 16;
  var SAVE_TITLE = {font: "600 16px " + SAVE_FONT, size: 16, line: 22, colour: "#1a1a1a"};
  var SAVE_NOTE = {font: "12px " + SAVE_FONT, size: 12, line: 17, colour: "#3d4349"};
  var measurer = null;

  function textLines(text, style, width) {
    measurer = measurer || document.createElement("canvas").getContext("2d");
    measurer.font = style.font;
    var lines = [], line = "";
    String(text).split(/\s+/).filter(Boolean).forEach(function (word) {
      var next = line ? line + " " + word : word;
      if (measurer.measureText(next).width <= width) {
        line = next;
        return;
      }
      if (line) {
        lines.push(line);
      }
      line = word;
      while (measurer.measureText(line).width > width && line.length > 8) {  // a long address is cut
        var cut = line.length - 1;
        while (cut > 8 && measurer.measureText(line.slice(0, cut)).width > width) {
          cut--;
        }
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    });
    if (line) {
      lines.push(line);
    }
    return lines;
  }

  // What the page says around the chart: {title, notes} (notes: origin, source, address).
  function exhibitWords(entry) {
    var figure = entry.div.closest("figure.roses-exhibit");
    function text(selector) {
      var node = figure && figure.querySelector(selector);
      return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
    }
    var badge = figure && figure.querySelector(".roses-badge");
    var origin = badge ? "Origin: " + text(".roses-badge") + (badge.title ? " (" + badge.title + ")" : "") : "";
    return {title: text(".roses-number"), view: viewWords(entry),
      notes: [origin, text(".roses-source"), "Page: " + viewLink(entry)].filter(Boolean)};
  }

  // What the chart's menus show, in words ("Method: Wrote danger statements..."): a saved image of
  // one choice says which one.
  function viewWords(entry) {
    return entry.selects.map(function (select) {
      var option = select.options[select.selectedIndex];
      var label = select.labels && select.labels.length ? select.labels[0].textContent : select.getAttribute("aria-label");
      return (label ? label.replace(/\s+/g, " ").trim() + ": " : "") + (option ? option.textContent.trim() : "");
    }).join("; ");
  }

  // Lines of text placed in the frame: [{text, x, y, style}], and the frame's top and bottom heights.
  function frameText(entry, width) {
    var words = exhibitWords(entry), placed = [], y = SAVE_PAD;
    textLines(words.title, SAVE_TITLE, width - 2 * SAVE_PAD).forEach(function (line) {
      placed.push({text: line, y: y, style: SAVE_TITLE});
      y += SAVE_TITLE.line;
    });
    if (words.view) {
      textLines(words.view, SAVE_NOTE, width - 2 * SAVE_PAD).forEach(function (line) {
        placed.push({text: line, y: y, style: SAVE_NOTE});
        y += SAVE_NOTE.line;
      });
    }
    var top = y + 6, below = [], by = 8;
    words.notes.forEach(function (note) {
      textLines(note, SAVE_NOTE, width - 2 * SAVE_PAD).forEach(function (line) {
        below.push({text: line, y: by, style: SAVE_NOTE});
        by += SAVE_NOTE.line;
      });
    });
    return {top: top, bottom: by + SAVE_PAD - 4, above: placed, below: below};
  }

  function escapeXml(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function download(url, filename) {
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.style.display = "none";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    if (url.indexOf("blob:") === 0) {
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }
  }

  function framedSvg(plotSvg, width, height, frame) {
    function texts(lines, offset) {
      return lines.map(function (l) {
        return '<text x="' + SAVE_PAD + '" y="' + (offset + l.y + l.style.size) + '" font-family="' + escapeXml(SAVE_FONT) +
          '" font-size="' + l.style.size + '"' + (l.style === SAVE_TITLE ? ' font-weight="600"' : "") + ' fill="' +
          l.style.colour + '">' + escapeXml(l.text) + "</text>";
      }).join("");
    }
    var total = frame.top + height + frame.bottom;
    var plot = plotSvg.replace(/^\s*<\?xml[^>]*>\s*/, "").replace(/<svg\b/, '<svg x="0" y="' + frame.top + '"');
    return '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="' + width +
      '" height="' + total + '" viewBox="0 0 ' + width + " " + total + '"><rect width="100%" height="100%" fill="#fff"/>' +
      texts(frame.above, 0) + plot + texts(frame.below, frame.top + height) + "</svg>";
  }

  function framedPng(plotPng, width, height, frame, scale) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = width * scale;
        canvas.height = (frame.top + height + frame.bottom) * scale;
        var ctx = canvas.getContext("2d");
        ctx.scale(scale, scale);
        ctx.fillStyle = "#fff";
        ctx.fillRect(0, 0, width, frame.top + height + frame.bottom);
        ctx.textBaseline = "alphabetic";
        function write(lines, offset) {
          lines.forEach(function (l) {
            ctx.font = l.style.font;
            ctx.fillStyle = l.style.colour;
            ctx.fillText(l.text, SAVE_PAD, offset + l.y + l.style.size);
          });
        }
        write(frame.above, 0);
        ctx.drawImage(image, 0, frame.top, width, height);
        write(frame.below, frame.top + height);
        canvas.toBlob(function (blob) { resolve(URL.createObjectURL(blob)); }, "image/png");
      };
      image.onerror = reject;
      image.src = plotPng;
    });
  }

  function saveImage(entry, format, filename) {
    if (entry.chart.legendFolds && !entry.chart.legendOpen) {  // an image always has its legend
      entry.chart.legendOpen = true;
      return redraw(entry).then(function () { return saveImage(entry, format, filename); }).then(function () {
        entry.chart.legendOpen = false;
        return redraw(entry);
      });
    }
    var box = entry.div.getBoundingClientRect();
    var width = Math.round(box.width), height = Math.round(box.height);
    var frame = frameText(entry, width);
    var scale = format === "png" ? 2 : 1;
    return window.Plotly.toImage(entry.div, {format: format, width: width, height: height, scale: scale}).then(function (url) {
      if (format === "svg") {
        var svg = decodeURIComponent(url.slice(url.indexOf(",") + 1));
        var blob = new Blob([framedSvg(svg, width, height, frame)], {type: "image/svg+xml"});
        return URL.createObjectURL(blob);
      }
      return framedPng(url, width, height, frame, scale);
    }).then(function (url) {
      download(url, filename);
    }, function (error) {
      console.error("roses: the chart could not be saved", error);
    });
  }

  // The legend's button: shown only while the legend folds (a phone), saying what a press does.
  function showLegendButton(entry) {
    var b = entry.legendButton;
    if (!b) {
      return;
    }
    b.hidden = !entry.chart.legendFolds;
    b.setAttribute("aria-expanded", entry.chart.legendOpen ? "true" : "false");
    b.textContent = entry.chart.legendOpen ? "Hide the legend" : "Show the legend (" + entries(entry.chart) + " entries)";
  }

  function addTools(entry) {
    var holder = entry.div.parentNode;
    if (holder.querySelector(".roses-chart-tools")) {
      return;
    }
    var tools = document.createElement("div");
    tools.className = "roses-chart-tools";
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    var name = entry.div.id.replace(/^chart-/, "");
    function button(text, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.addEventListener("click", action);
      tools.appendChild(b);
      return b;
    }
    function save(format) {
      var filename = name + (entry.selects.length ? "-" + viewQuery(entry).replace(/[&=]/g, "-") : "") + "." + format;
      saveImage(entry, format, filename);
    }
    var legendButton = button("", function () {
      entry.chart.legendOpen = !entry.chart.legendOpen;
      redraw(entry).then(function () { showLegendButton(entry); });
    });
    legendButton.setAttribute("data-roses-legend", "");
    entry.legendButton = legendButton;
    showLegendButton(entry);
    button("Save PNG", function () { save("png"); }).setAttribute("data-roses-save", "png");
    button("Save SVG", function () { save("svg"); }).setAttribute("data-roses-save", "svg");
    button("Copy link to this view", function () {
      var link = viewLink(entry);
      history.replaceState(null, "", link.slice(link.indexOf("#")));
      copy(link, status);
    }).setAttribute("data-roses-copy-link", "");
    tools.appendChild(status);
    holder.insertBefore(tools, entry.div.nextSibling);
  }

  function connect(div, chart) {
    var menus = (div.layout && div.layout.updatemenus) || [];
    var entry = {div: div, chart: chart, menus: menus, selects: []};
    charts[div.id] = entry;
    div.parentNode.querySelectorAll("select[data-roses-menu]").forEach(function (select) {
      if (!menus[Number(select.getAttribute("data-roses-menu"))]) {
        return;
      }
      entry.selects.push(select);
      select.addEventListener("change", function () {
        apply(entry, select);
        var link = viewLink(entry);
        history.replaceState(null, "", link.slice(link.indexOf("#")));
      });
      select.disabled = false;
    });
    addTools(entry);
    restore(entry);
    div.setAttribute("data-roses-ready", "");
  }

  window.addEventListener("hashchange", function () {
    Object.keys(pending).forEach(function (id) {
      if (wantedNow(document.getElementById(id))) {
        enqueue(id);
      }
    });
    Object.keys(charts).forEach(function (id) { restore(charts[id]); });
  });

  // --- Data tables kept out of the page until opened -------------------------------------------
  // An exhibit's data table is written inside a <template> in its <details>: until a reader opens it
  // the table is not part of the page (thousands fewer elements to lay out on a long chapter).
  function openTable(details) {
    var template = details.querySelector("template.roses-table-template");
    if (template) {
      details.insertBefore(document.importNode(template.content, true), template);
      details.removeChild(template);
    }
  }

  function tableRows(details) {
    var template = details.querySelector("template.roses-table-template");
    return (template ? template.content : details).querySelectorAll("tbody tr").length;
  }

  document.addEventListener("toggle", function (event) {
    if (event.target.matches && event.target.matches("details") && event.target.open) {
      openTable(event.target);
    }
  }, true);

  // Printing (and the PDF): every chart drawn, at the paper's width; a chart's data table printed under
  // it when it is short; a long one is named instead (it is in the CSV download).
  var MAX_PRINTED_ROWS = 40;
  var opened = [];
  var printWidths = false;
  function preparePrint() {
    if (window.rosesTables) {  // the captions' notes first (roses-tables.js): charts are fitted under them
      window.rosesTables.openForPrint();
    }
    document.querySelectorAll("details.roses-data-details").forEach(function (d) {
      var rows = tableRows(d);
      if (rows <= MAX_PRINTED_ROWS) {
        openTable(d);
        if (!d.open) {
          d.open = true;
          opened.push(d);
        }
      } else if (!d.nextElementSibling || !d.nextElementSibling.classList.contains("roses-print-note")) {
        var note = document.createElement("p");
        note.className = "roses-print-note";
        note.textContent = d.querySelector("summary").textContent.replace(/^Data table/, "The data table") +
          " has " + rows + " rows: it is in the CSV download and on the site.";
        d.parentNode.insertBefore(note, d.nextSibling);
      }
    });
  }

  // The browser's own print: charts not yet drawn are drawn now (plotly draws synchronously once
  // loaded), and every chart wider than the paper is laid out again at the paper's width.
  function printCharts() {
    var drawn = [];
    if (!window.Plotly) {
      return drawn;
    }
    Object.keys(pending).forEach(function (id) {
      var chart = pending[id];
      delete pending[id];
      drawAndConnect(chart);
    });
    Object.keys(charts).forEach(function (id) {
      var entry = charts[id];
      var width = Math.min(PRINT_WIDTH, Number(entry.div.getAttribute("data-roses-width")) || PRINT_WIDTH);
      drawn.push(redraw(entry, width, printRoom(entry, width)));
      printWidths = true;
    });
    return drawn;
  }

  // The height a chart may take on paper: a page less its card's words above it (caption, opened
  // notes, menus), measured now and scaled to the paper's narrower width. A card taller than a page
  // was cut through its chart (Figure 6.1's footnote ran over two pages of the book's PDF).
  function printRoom(entry, width) {
    var card = entry.div.closest("figure.roses-exhibit");
    var above = 60;  // the card's padding and the gaps between its parts
    [card && card.querySelector("figcaption"), card && card.querySelector(".roses-chart-controls")].forEach(function (node) {
      if (node) {
        var box = node.getBoundingClientRect();
        above += box.height * Math.max(1, box.width / width);
      }
    });
    return PAGE_ROOM - above;
  }

  // Notes and short tables opened first: the charts are then fitted to what is left of the page.
  window.addEventListener("beforeprint", function () {
    preparePrint();
    printCharts();
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
    if (printWidths) {
      printWidths = false;
      Object.keys(charts).forEach(function (id) { redraw(charts[id]); });
    }
  });

  // --- Drawing: when a chart comes near the screen, plotly.js fetched for the first ---------------
  var pending = {};  // chart id -> spec, not yet queued (off screen)
  var me = document.currentScript;
  var plotlyRequested = false;

  function drawAndConnect(chart) {
    var drawn = draw(chart);  // plotly's promise of the drawn chart
    if (drawn && drawn.then) {
      drawn.then(function (div) { connect(div, chart); });
    }
    return drawn;
  }

  function drawNext() {
    var chart = queue.shift();
    if (!chart) {
      drawing = false;
      return;
    }
    try {
      if (!charts[chart.id]) {
        drawAndConnect(chart);
      }
    } finally {
      setTimeout(drawNext, 0);
    }
  }

  function loadPlotly() {
    if (plotlyRequested || window.Plotly) {
      return;
    }
    plotlyRequested = true;
    var tag = document.querySelector('script[src*="plotly-basic.min.js"]');
    if (!tag) {
      var version = me && me.getAttribute("data-plotly-version");
      tag = document.createElement("script");
      tag.src = new URL("plotly-basic.min.js" + (version ? "?v=" + version : ""), me ? me.src : location.href).href;
      tag.async = true;
      document.head.appendChild(tag);
    }
    tag.addEventListener("load", start);
  }

  function start() {
    if (!queue.length) {
      return;
    }
    if (!window.Plotly) {
      loadPlotly();
    } else if (!drawing) {
      drawing = true;
      setTimeout(drawNext, 0);
    }
  }

  function enqueue(id) {
    var chart = pending[id];
    if (chart) {
      delete pending[id];
      queue.push(chart);
      start();
    }
  }

  // Within a screen's height of the viewport: drawn (plotly's SVG for 22 charts is thousands of nodes).
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (seen) {
    seen.forEach(function (e) {
      if (e.isIntersecting) {
        observer.unobserve(e.target);
        enqueue(e.target.id);
      }
    });
  }, {rootMargin: "100% 0px 100% 0px"}) : null;

  function wantedNow(div) {
    var view = parseHash();
    return !observer || !div || (view && view.anchor === anchorOf(div));
  }

  var early = Array.isArray(window.rosesCharts) ? window.rosesCharts : [];  // queued before this file ran
  window.rosesCharts = {
    push: function (chart) {
      var div = document.getElementById(chart.id);
      pending[chart.id] = chart;
      if (wantedNow(div)) {
        enqueue(chart.id);
      } else {
        observer.observe(div);
      }
    },
    // Every chart of the page, wherever it is (printing, the PDF, a reader's "draw everything").
    drawAll: function () {
      Object.keys(pending).forEach(function (id) {
        if (observer) {
          observer.unobserve(document.getElementById(id));
        }
        enqueue(id);
      });
    },
    viewLink: function (id) { return charts[id] ? viewLink(charts[id]) : null; },
    preparePrint: preparePrint,
    // The book's PDF (roses.site.pdf): every chart laid out for paper, the short data tables opened.
    forPaper: function () {
      preparePrint();
      var drawn = printCharts();
      return Promise.all(drawn).then(function () { return drawn.length; });
    }
  };
  early.forEach(function (chart) { window.rosesCharts.push(chart); });
})();
