/* The roster grid's few behaviours (web/roster/month.html, print.html).
   Without JavaScript every rest cell is a link to its block's edit page and
   every form posts; this opens the block's panel in place instead (htmx),
   keeps the grid's scroll position across an edit, and prints. */
(function () {
  "use strict";

  var scrollLeft = 0;

  function wrap() { return document.querySelector(".g-wrap"); }

  function select(href) {
    document.querySelectorAll(".g td.sel").forEach(function (cell) { cell.classList.remove("sel"); });
    if (!href) return;
    document.querySelectorAll('.g td.r a[href="' + href + '"]').forEach(function (link) {
      link.parentNode.classList.add("sel");
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".g td.r a[href]");
    if (link && window.htmx && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      var href = link.getAttribute("href");
      select(href);
      window.htmx.ajax("GET", href, { target: "#edit-panel", swap: "innerHTML" });
      return;
    }
    var close = event.target.closest && event.target.closest("[data-close-panel]");
    if (close && document.getElementById("edit-panel")) {
      event.preventDefault();
      document.getElementById("edit-panel").innerHTML = "";
      select(null);
      return;
    }
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });

  document.addEventListener("htmx:beforeRequest", function () {
    var grid = wrap();
    if (grid) scrollLeft = grid.scrollLeft;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target.id === "edit-panel" && target.firstElementChild) {
      target.scrollIntoView({ block: "start", behavior: "smooth" });
      target.focus({ preventScroll: true });
    }
    var grid = wrap();
    if (grid) grid.scrollLeft = scrollLeft;
    // After an edit the body is new: show the result, or the panel with its errors.
    if (target.id === "roster-body" || (event.detail.elt && event.detail.elt.id === "roster-body")) {
      var panel = document.querySelector("#edit-panel .block-panel");
      var alert = document.querySelector("#roster-body > .alert");
      (panel || alert || document.getElementById("roster-body")).scrollIntoView({ block: "start", behavior: "smooth" });
    }
  });
})();
