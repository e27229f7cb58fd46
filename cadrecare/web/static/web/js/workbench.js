/* The workbench's few behaviours. Everything works without JavaScript
   (forms post, links load pages); this script only adds the phone menu and
   says in the status line what an htmx request could not do. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("sidenav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("is-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    // Close the user menu with Escape, back on its button.
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
        menu.removeAttribute("open");
        menu.querySelector("summary").focus();
      });
    });
  });

  // The messages come from the page, in its language (data-* of #status-line, base.html).
  function say(key, status) {
    var line = document.getElementById("status-line");
    if (!line) return;
    var box = document.createElement("div");
    box.className = "alert alert-error";
    box.textContent = line.dataset[key] + (status ? " (" + status + ")" : "");
    line.replaceChildren(box);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403) say("forbidden");
    else if (status === 404) say("notFound");
    else if (status === 429) say("throttled");
    else say("failed", status);
  });
  document.addEventListener("htmx:sendError", function () { say("offline"); });
})();

/* Person pickers (cadrecare.web.people): a match ticked in the results moves
   up among the chosen (a radio's choice replaces the one before); one
   unticked among the chosen leaves. The ids sent are the server's own. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    var picker = input.closest && input.closest(".picker");
    if (!picker || input.type === "search") return;
    var chosen = picker.querySelector(".picker-chosen");
    var item = input.closest("li");
    if (input.closest(".picker-results") && input.checked) {
      var same = chosen.querySelector('input[value="' + input.value + '"]');
      if (picker.dataset.picker === "radio") chosen.replaceChildren();
      else if (same) { same.checked = true; item.remove(); return; }
      chosen.appendChild(item);
      var search = picker.querySelector('input[type="search"]');
      search.value = "";
      picker.querySelector(".picker-results").replaceChildren();
      search.focus();
    } else if (input.closest(".picker-chosen") && !input.checked) {
      item.remove();
    }
  });
})();
