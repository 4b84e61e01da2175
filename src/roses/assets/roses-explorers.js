/* roses: the static site's explorers (roses.pages.explorers), computed in the page from their data.
 *
 * Each explorer is a <figure data-roses-explorer="NAME"> holding its controls (disabled in the HTML),
 * its precomputed data (<script type="application/json" class="roses-explorer-data">) and a result
 * region that the HTML fills for the starting choice. This file enables the controls and recomputes
 * the result on every change, with the same rules and words as the Python side (``assess``,
 * ``assessment_text``, ``compare``); tests/browser/test_explorer_rules.py checks that both give the same
 * HTML for every authority and indicator and every factor score and total.
 */
(function () {
  "use strict";

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}[c];
    });
  }

  function num(value) {  // Python's f"{value:g}" for the values these tables hold
    return value === null || value === undefined ? "" : String(Number(value.toPrecision(6)));
  }

  // ---- self-assessment (the rules of roses.published.self_assessment.placement)
  function place(row, score, groups) {
    var gaps = row.group_means.map(function (m) { return Math.abs(m - score); });
    var best = Math.min.apply(null, gaps);
    return {title: row.title, score: score, group_means: row.group_means,
            at_or_below: row.programme.filter(function (v) { return v <= score; }).length,
            low: Math.min.apply(null, row.programme), high: Math.max.apply(null, row.programme),
            closest: groups.filter(function (g, i) { return Math.abs(gaps[i] - best) < 1e-9; }).join(" or ")};
  }

  function assess(scores, data) {
    var rows = data.factors.map(function (f, i) { return place(f, scores[i], data.groups); });
    rows.push(place(data.total, scores.reduce(function (a, b) { return a + b; }, 0), data.groups));
    return rows;
  }

  function assessmentText(rows, data) {
    var t = rows[rows.length - 1];
    var which = t.closest.indexOf(" or ") < 0 ? "Group " + t.closest + "'s" : "Groups " + t.closest + "'";
    return "A total of " + t.score + " out of " + 3 * data.factors.length + ": " + t.at_or_below +
      " of the programme's ten authorities had a total at or below it (their totals ran from " + t.low + " to " +
      t.high + "); the closest group mean total is " + which + ".";
  }

  function assessmentHtml(scores, data) {
    var rows = assess(scores, data);
    var head = data.groups.map(function (g) { return '<th scope="col">Group ' + g + " mean</th>"; }).join("");
    var body = rows.map(function (r) {
      return '<tr><th scope="row">' + esc(r.title) + "</th><td>" + r.score + "</td>" +
        r.group_means.map(function (m) { return "<td>" + num(m) + "</td>"; }).join("") +
        "<td>" + r.at_or_below + "</td><td>" + esc(r.closest) + "</td></tr>";
    }).join("");
    return '<p class="roses-explorer-answer">' + esc(assessmentText(rows, data)) + "</p>" +
      '<table class="roses-table"><caption>Your profile beside the group means of Table 7.1</caption>' +
      '<thead><tr><th scope="col">Factor</th><th scope="col">Your score</th>' + head +
      '<th scope="col">Authorities at or below (of ten)</th><th scope="col">Closest group</th></tr></thead>' +
      "<tbody>" + body + "</tbody></table>";
  }

  function selfAssessment(figure, data, result) {
    var selects = Array.prototype.slice.call(figure.querySelectorAll("select[data-index]"));
    function update() {
      result.innerHTML = assessmentHtml(selects.map(function (s) { return Number(s.value); }), data);
    }
    selects.forEach(function (s) { s.addEventListener("change", update); s.disabled = false; });
  }

  // ---- indicators
  function mid(a, b) {  // as roses.pages.explorers._mid: in whole hundredths, a half away from zero
    var total = Math.round(a * 100) + Math.round(b * 100);
    var half = total % 2 ? (Math.abs(total) + 1) / 2 : Math.abs(total) / 2;
    return (total >= 0 ? half : -half) / 100;
  }

  function median(values) {
    var v = values.slice().sort(function (a, b) { return a - b; });
    if (!v.length) { return null; }
    var m = Math.floor(v.length / 2);
    return v.length % 2 ? v[m] : mid(v[m - 1], v[m]);
  }

  function compare(code, indicator, data) {
    var authority = data.authorities.filter(function (a) { return a.code === code; })[0];
    var names = {};
    data.authorities.forEach(function (a) { names[a.code] = a.name; });
    var series = data.values[indicator];
    var none = data.years.map(function () { return null; });
    var mine = series[code] || none;
    var rows = [], latest = null;
    data.years.forEach(function (year, i) {
      var peers = authority.neighbours.map(function (n) { return (series[n] || none)[i]; })
        .filter(function (v) { return v !== null; });
      if (mine[i] !== null || data.england[indicator][i] !== null) {
        rows.push({year: year, value: mine[i], england: data.england[indicator][i], neighbour_median: median(peers)});
      }
      if (mine[i] !== null) { latest = i; }
    });
    var neighbours = latest === null ? [] : authority.neighbours.map(function (n) {
      return {name: names[n] || n, value: (series[n] || none)[latest]};
    });
    return {name: authority.name, rows: rows, neighbours: neighbours,
            latest_year: latest === null ? null : data.years[latest]};
  }

  function comparisonHtml(code, indicator, data) {
    var r = compare(code, indicator, data);
    var label = data.indicators.filter(function (i) { return i.name === indicator; })[0];
    var name = esc(r.name);
    var html = '<table class="roses-table"><caption>' + esc(label.label) + " (" + esc(label.unit) + "): " + name +
      ", England and the median of its ten statistical neighbours</caption>" +
      '<thead><tr><th scope="col">Year</th><th scope="col">' + name + '</th><th scope="col">England</th>' +
      '<th scope="col">Neighbours\' median</th></tr></thead><tbody>' +
      r.rows.map(function (row) {
        return '<tr><th scope="row">' + row.year + "</th><td>" + num(row.value) + "</td><td>" + num(row.england) +
          "</td><td>" + num(row.neighbour_median) + "</td></tr>";
      }).join("") + "</tbody></table>";
    if (r.latest_year === null) {
      return html + "<p>" + name + " has no value of this indicator in the national files.</p>";
    }
    return html + '<table class="roses-table"><caption>' + name + "'s statistical neighbours in " + r.latest_year +
      '</caption><thead><tr><th scope="col">Neighbour</th><th scope="col">Value</th></tr></thead><tbody>' +
      r.neighbours.map(function (n) {
        return '<tr><th scope="row">' + esc(n.name) + "</th><td>" + num(n.value) + "</td></tr>";
      }).join("") + "</tbody></table>";
  }

  function indicatorExplorer(figure, data, result) {
    var authority = figure.querySelector("#roses-ind-authority");
    var indicator = figure.querySelector("#roses-ind-indicator");
    function update() { result.innerHTML = comparisonHtml(authority.value, indicator.value, data); }
    [authority, indicator].forEach(function (s) { s.addEventListener("change", update); s.disabled = false; });
  }

  var KINDS = {"self-assessment": selfAssessment, "indicators": indicatorExplorer};

  function connect() {
    document.querySelectorAll("figure[data-roses-explorer]").forEach(function (figure) {
      var kind = KINDS[figure.getAttribute("data-roses-explorer")];
      var data = figure.querySelector("script.roses-explorer-data");
      var result = figure.querySelector(".roses-explorer-result");
      if (kind && data && result && !figure.rosesConnected) {
        figure.rosesConnected = true;
        kind(figure, JSON.parse(data.textContent), result);
      }
    });
  }

  window.rosesExplorers = {assessmentHtml: assessmentHtml, comparisonHtml: comparisonHtml};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", connect);
  } else {
    connect();
  }
})();
