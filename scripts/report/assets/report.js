/* Draws the charts of a report page from the JSON specs embedded in it.
 *
 * Loaded in <head>, before plotly.min.js, so that it can record any error
 * that happens later (a script that fails to load or to run, a chart that
 * fails to draw). The outcome is written on <html> for tests and for anyone
 * checking a page: data-charts-drawn (number of charts drawn) and
 * data-js-errors (a JSON list of messages, "[]" when all went well), then
 * data-print-charts-drawn (number of paper copies drawn, see drawPrintCopy).
 * Opening a page with "?print" draws the paper copies only (PDF export).
 */
(function () {
  "use strict";
  /* px: the paper copies are drawn this wide, then scaled by 0.86 in print
   * (report.css) to 688 px, the A4 width inside the margins: fonts a little
   * smaller, so that each flow diagram fits on a page with its total. */
  var PRINT_WIDTH = 800;
  var root = document.documentElement;
  var errors = [];
  var printMode = /(^\?|&)print\b/.test(window.location.search);

  function record(message) {
    errors.push(String(message));
    root.setAttribute("data-js-errors", JSON.stringify(errors));
  }
  root.setAttribute("data-js-errors", "[]");
  if (printMode) {
    root.classList.add("print-mode");
  }

  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target !== window && (target.src || target.href)) {
      record("failed to load " + (target.src || target.href));
    } else {
      record(event.message || "script error");
    }
  }, true);
  window.addEventListener("unhandledrejection", function (event) {
    var reason = event.reason;
    record("unhandled rejection: " + (reason && reason.message ? reason.message : reason));
  });

  var NARROW = 560; /* px: a chart narrower than this draws its "narrow" variant, if it has one */
  var config = {
    responsive: true,
    displayModeBar: false /* the data tables under each chart are the way to get the numbers */
  };
  var printConfig = { staticPlot: true, displayModeBar: false, responsive: false };

  function specNodes() {
    return Array.prototype.slice.call(document.querySelectorAll("script.chart-spec"));
  }

  function readSpec(node) {
    return JSON.parse(node.textContent); /* afresh each time: Plotly keeps and changes what it is given */
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* base with patch's keys laid over it, objects merged key by key, arrays replaced. */
  function merge(base, patch) {
    Object.keys(patch || {}).forEach(function (key) {
      base[key] = isObject(base[key]) && isObject(patch[key]) ? merge(base[key], patch[key]) : patch[key];
    });
    return base;
  }

  /* A word-wrap of a label to lines of at most `width` characters (words kept whole). */
  function rewrap(text, width, maxLines) {
    var lines = [];
    text.split(/<br>/).join(" ").split(/\s+/).forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= width) {
        lines[last] += " " + word;
      } else {
        lines.push(word);
      }
    });
    if (lines.length > maxLines) {
      lines = lines.slice(0, maxLines);
      lines[maxLines - 1] += " …";
    }
    return lines.join("<br>");
  }

  var CHAR_PX = 5.8; /* px: the width of a character at the phone charts' 10 px font, a bit over */

  /* Room for the values written beside the bars: a fixed axis range grows on
   * the side(s) where bars point, enough for the longest value; with an
   * automatic range, the right margin does. */
  function roomForValues(spec, layout, plotPx) {
    var longest = 0;
    var low = 0;
    var high = 0;
    spec.data.forEach(function (trace) {
      (trace.text || []).forEach(function (text) { longest = Math.max(longest, String(text).length); });
      (trace.x || []).forEach(function (x) { low = Math.min(low, x); high = Math.max(high, x); });
    });
    var textPx = longest * CHAR_PX + 8;
    var axis = layout.xaxis || {};
    if (!longest) {
      return;
    }
    if (!axis.range) {
      layout.margin.r = Math.max(layout.margin.r, Math.round(textPx));
      return;
    }
    var sides = (low < 0 ? 1 : 0) + (high > 0 ? 1 : 0);
    var pad = textPx * (high - low) / Math.max(plotPx - sides * textPx, plotPx / 3);
    axis.range = [low < 0 ? low - pad : axis.range[0], high > 0 ? high + pad : axis.range[1]];
  }

  /* Horizontal bar charts with their labels in a wide left margin (section 6)
   * leave no room for the bars on a phone: the margin shrinks to two fifths of
   * the width, the labels and the axis title are wrapped again to fit, in a
   * smaller font, and the values beside the bars keep their room.
   */
  function narrowBars(spec, width) {
    var layout = spec.layout;
    var axis = layout.yaxis;
    var named = axis && (axis.ticktext || axis.type === "category");
    if (!named || !layout.margin || !layout.xaxis || layout.margin.l <= width * 0.35) {
      return spec;
    }
    /* labels of our own (wrapped) get two fifths of the width, names as they are a bit more */
    var left = Math.round(width * (axis.ticktext ? 0.4 : 0.45));
    if (axis.ticktext) {
      var chars = Math.max(12, Math.floor((left - 14) / CHAR_PX));
      axis.ticktext = axis.ticktext.map(function (text) { return rewrap(text, chars, 3); });
      layout.height += 8 * axis.ticktext.length;
    }
    axis.tickfont = merge(axis.tickfont || {}, { size: 10 });
    layout.margin.l = left;
    layout.margin.r = Math.min(layout.margin.r, 20);
    layout.xaxis.nticks = 4;
    spec.data.forEach(function (trace) {
      if (trace.textfont) {
        trace.textfont.size = 10;
      }
    });
    var title = layout.xaxis.title;
    if (title && title.text) {
      /* centred under the bars: as wide as twice the room on its shorter side */
      var centre = left + (width - left - 20) / 2;
      title.text = rewrap(title.text, Math.floor((2 * (width - centre) - 12) / CHAR_PX), 3);
      title.font = merge(title.font || {}, { size: 10 });
      layout.margin.b += 24;
      layout.height += 24;
    }
    roomForValues(spec, layout, width - layout.margin.l - 20);
    (layout.updatemenus || []).forEach(function (menu) { /* menus start at the chart's left edge */
      menu.x = -(left - 2) / Math.max(width - layout.margin.l - layout.margin.r, 1);
      menu.xanchor = "left";
      menu.font = merge(menu.font || {}, { size: 10 });
    });
    return spec;
  }

  /* The spec to draw at a width: below NARROW px, the chart's phone variant
   * ("narrow": a layout and patches of its traces) or its bars' labels narrowed.
   */
  function variant(spec, width) {
    if (width >= NARROW) {
      return spec;
    }
    if (!spec.narrow) {
      return narrowBars(spec, width);
    }
    var patches = spec.narrow.data || [];
    return {
      data: spec.data.map(function (trace, index) { return merge(trace, patches[index]); }),
      layout: spec.narrow.layout || spec.layout
    };
  }

  function drawScreen(node) {
    var element = document.getElementById(node.getAttribute("data-chart-id"));
    try {
      var spec = readSpec(node);
      var chosen = variant(spec, element.clientWidth);
      element.setAttribute("data-variant", element.clientWidth < NARROW ? "narrow" : "wide");
      return window.Plotly.newPlot(element, chosen.data, chosen.layout, config).then(function () {
        element.setAttribute("data-drawn", "true");
        return 1;
      }, function (error) {
        record("chart " + element.id + ": " + error);
        return 0;
      });
    } catch (error) {
      record("chart " + node.getAttribute("data-chart-id") + ": " + error);
      return Promise.resolve(0);
    }
  }

  /* Printing: each chart gets a copy drawn ahead of time at paper width, without
   * animation (staticPlot), shown by the print stylesheet instead of the screen
   * chart. Redrawing the screen charts on "beforeprint" does not work: the
   * browser lays the page out for paper before Plotly's transitions end, and
   * prints flow diagrams with their bars but without their links. The copies
   * are the same whether a reader prints from the browser or `trade render
   * --pdf` prints the page, so both give the same document.
   */
  function drawPrintCopy(node) {
    var id = node.getAttribute("data-chart-id");
    var element = document.getElementById(id);
    var copy = document.createElement("div");
    copy.className = "chart-print";
    copy.id = id + "-print";
    copy.setAttribute("aria-hidden", "true");
    element.parentNode.insertBefore(copy, element.nextSibling);
    try {
      var spec = readSpec(node);
      spec.layout.width = PRINT_WIDTH;
      spec.layout.autosize = false;
      return window.Plotly.newPlot(copy, spec.data, spec.layout, printConfig).then(function () {
        copy.setAttribute("data-drawn", "true");
        element.parentNode.classList.add("has-print-copy");
        return 1;
      }, function (error) {
        record("print copy of " + id + ": " + error);
        return 0;
      });
    } catch (error) {
      record("print copy of " + id + ": " + error);
      return Promise.resolve(0);
    }
  }

  /* One copy after the other, each in its own task, so that the page stays responsive. */
  function drawPrintCopies(nodes) {
    var drawn = 0;
    function next(index) {
      if (index >= nodes.length) {
        root.setAttribute("data-print-charts-drawn", String(drawn));
        return Promise.resolve(drawn);
      }
      return new Promise(function (resolve) { window.setTimeout(resolve, 0); }).then(function () {
        return drawPrintCopy(nodes[index]);
      }).then(function (one) {
        drawn += one;
        return next(index + 1);
      });
    }
    return next(0);
  }

  function draw() {
    var nodes = specNodes();
    if (!nodes.length) {
      root.setAttribute("data-charts-drawn", "0");
      root.setAttribute("data-print-charts-drawn", "0");
      return;
    }
    if (!window.Plotly) {
      record("Plotly is not loaded");
      root.setAttribute("data-charts-drawn", "0");
      root.setAttribute("data-print-charts-drawn", "0");
      return;
    }
    if (printMode) { /* the PDF export: the paper copies only */
      drawPrintCopies(nodes).then(function (drawn) {
        root.setAttribute("data-charts-drawn", String(drawn));
      });
      return;
    }
    Promise.all(nodes.map(drawScreen)).then(function (results) {
      var drawn = results.reduce(function (sum, one) { return sum + one; }, 0);
      root.setAttribute("data-charts-drawn", String(drawn));
      return drawPrintCopies(nodes);
    });
  }

  /* A phone turned sideways, or a window resized across NARROW: switch variant. */
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      specNodes().forEach(function (node) {
        var element = document.getElementById(node.getAttribute("data-chart-id"));
        if (!element || element.getAttribute("data-drawn") !== "true" || !element.clientWidth) {
          return;
        }
        var wanted = element.clientWidth < NARROW ? "narrow" : "wide";
        if (wanted !== element.getAttribute("data-variant")) {
          var chosen = variant(readSpec(node), element.clientWidth);
          element.setAttribute("data-variant", wanted);
          window.Plotly.react(element, chosen.data, chosen.layout, config).catch(function (error) {
            record("chart " + element.id + ": " + error);
          });
        }
      });
    }, 250);
  });

  /* The print options (territory pages): "&extra" and "&tables" in the
   * address (`trade render --pdf-full`) tick the boxes that add section 6 and
   * the charts' data tables to the print; the print stylesheet reads the
   * boxes. The "Imprimer" button opens the browser's print dialog.
   */
  function setupPrintOptions() {
    ["extra", "tables"].forEach(function (name) {
      var box = document.getElementById("print-" + name);
      if (box && new RegExp("[?&]" + name + "\\b").test(window.location.search)) {
        box.checked = true;
      }
    });
    var button = document.getElementById("print-button");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    }
  }

  /* Sortable tables (index page): a click on a column header sorts the rows by
   * that column, a second click reverses the order. Cells give their value in
   * data-sort (numbers) or their text; empty values always go last. Without
   * JavaScript the table stays in its printed order. "?tri=growth" (or
   * "?tri=growth-asc") opens the page sorted on the column whose header has
   * data-sort-key="growth". The current order is written on the table
   * (data-sorted="growth:desc") and on each header (aria-sort).
   */
  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (raw === "") {
      return null;
    }
    if (type === "number") {
      var number = parseFloat(raw);
      return isNaN(number) ? null : number;
    }
    return raw;
  }

  function sortTable(table, header, descending) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var index = headers.indexOf(header);
    var type = header.getAttribute("data-sort-type") || "text";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, value: cellValue(row, index, type), position: position };
    });
    rows.sort(function (a, b) {
      if (a.value === null || b.value === null) {
        return (a.value === null) - (b.value === null) || a.position - b.position;
      }
      var order = type === "number" ? a.value - b.value : a.value.localeCompare(b.value, "fr");
      return (descending ? -order : order) || a.position - b.position;
    });
    rows.forEach(function (item) { body.appendChild(item.row); });
    headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    table.setAttribute("data-sorted", header.getAttribute("data-sort-key") + ":" + (descending ? "desc" : "asc"));
  }

  function setupSortableTables() {
    var requested = /[?&]tri=([\w-]+)/.exec(window.location.search);
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort-button";
        while (header.firstChild) {
          button.appendChild(header.firstChild);
        }
        header.appendChild(button);
        button.addEventListener("click", function () {
          var current = header.getAttribute("aria-sort");
          /* numbers start with the largest, text with A */
          var descending = current ? current === "ascending" : header.getAttribute("data-sort-type") === "number";
          sortTable(table, header, descending);
        });
        if (requested) {
          var parts = requested[1].split("-");
          if (parts[0] === header.getAttribute("data-sort-key")) {
            var wanted = parts[1] === "asc" ? "descending" : "ascending";
            header.setAttribute("aria-sort", wanted); /* so that the click gives the other order */
            button.click();
          }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    try {
      setupSortableTables();
      setupPrintOptions();
    } catch (error) {
      record("page setup: " + error);
    }
  });

  document.addEventListener("DOMContentLoaded", draw);
})();
