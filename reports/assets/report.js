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

  document.addEventListener("DOMContentLoaded", draw);
})();
