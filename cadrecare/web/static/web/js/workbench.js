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

  function say(text) {
    var line = document.getElementById("status-line");
    if (!line) return;
    line.innerHTML = "";
    var box = document.createElement("div");
    box.className = "alert alert-error";
    box.textContent = text;
    line.appendChild(box);
  }

  var zh = (document.documentElement.lang || "").indexOf("zh") === 0;
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403) say(zh ? "您的角色无权执行此操作。" : "Your role may not do this.");
    else if (status === 404) say(zh ? "未找到该记录，可能已被删除或不在您的管理范围内。" : "Not found: it may have been removed or be outside your scope.");
    else if (status === 429) say(zh ? "操作过于频繁，请稍后再试。" : "Too many requests; please try again shortly.");
    else say((zh ? "操作未能完成，请刷新页面后重试。（" : "The action failed; reload the page and try again. (") + status + (zh ? "）" : ")"));
  });
  document.addEventListener("htmx:sendError", function () {
    say(zh ? "无法连接服务器，请检查网络后重试。" : "The server cannot be reached; check the network and try again.");
  });
})();
