/* Draws the charts of a report page from the JSON specs embedded in it.
 *
 * Loaded in <head>, before plotly.min.js, so that it can record any error
 * that happens later (a script that fails to load or to run, a chart that
 * fails to draw). The outcome is written on <html> for tests and for anyone
 * checking a page: data-charts-drawn (number of charts drawn) and
 * data-js-errors (a JSON list of messages, "[]" when all went well).
 * Opening a page with "?print" draws the charts at A4 width (PDF export).
 */
(function () {
  "use strict";
  var PRINT_WIDTH = 690; /* px: A4 width minus the print margins */
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

  var config = {
    responsive: true,
    displayModeBar: false /* the data tables under each chart are the way to get the numbers */
  };

  function charts() {
    return Array.prototype.slice.call(document.querySelectorAll(".chart[data-drawn]"));
  }

  function draw() {
    var specs = document.querySelectorAll("script.chart-spec");
    if (!specs.length) {
      root.setAttribute("data-charts-drawn", "0");
      return;
    }
    if (!window.Plotly) {
      record("Plotly is not loaded");
      root.setAttribute("data-charts-drawn", "0");
      return;
    }
    var jobs = Array.prototype.map.call(specs, function (node) {
      var element = document.getElementById(node.getAttribute("data-chart-id"));
      try {
        var spec = JSON.parse(node.textContent);
        if (printMode) {
          spec.layout.width = PRINT_WIDTH;
        }
        return window.Plotly.newPlot(element, spec.data, spec.layout, config).then(function () {
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
    });
    Promise.all(jobs).then(function (results) {
      var drawn = results.reduce(function (sum, one) { return sum + one; }, 0);
      root.setAttribute("data-charts-drawn", String(drawn));
    });
  }

  /* Printing from a browser: redraw the charts at paper width, then back. */
  window.addEventListener("beforeprint", function () {
    if (!printMode && window.Plotly) {
      charts().forEach(function (element) {
        window.Plotly.relayout(element, { width: PRINT_WIDTH });
      });
    }
  });
  window.addEventListener("afterprint", function () {
    if (!printMode && window.Plotly) {
      charts().forEach(function (element) {
        window.Plotly.relayout(element, { width: null, autosize: true });
      });
    }
  });

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
    } catch (error) {
      record("sortable tables: " + error);
    }
  });

  document.addEventListener("DOMContentLoaded", draw);
})();
