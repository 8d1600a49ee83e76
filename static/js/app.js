// Revox Admin front-end glue. Loaded as a file (the CSP forbids inline scripts and eval).
(function () {
  "use strict";

  // A sticky toast stays until closed: for what the user must not miss (scheduled calls that
  // keep their old settings).
  function showToast(level, message, sticky) {
    var template = document.getElementById("toast-template");
    var container = document.getElementById("toasts");
    if (!template || !container || !window.bootstrap) return;
    var node = template.content.firstElementChild.cloneNode(true);
    node.classList.add("text-bg-" + (level || "secondary"));
    node.querySelector(".toast-body").textContent = message;
    container.appendChild(node);
    var toast = new bootstrap.Toast(node, sticky ? { autohide: false } : { delay: level === "danger" ? 10000 : 5000 });
    node.addEventListener("hidden.bs.toast", function () { node.remove(); });
    toast.show();
  }

  // "Copy id" (assistants/list_rows.py copy_id): the id to the clipboard, and "Copied" where
  // the click was. Where the clipboard can't be written (an insecure origin), the control opens
  // as it does without JavaScript, with the id selected for Ctrl+C.
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("summary[data-copy-id]");
    if (!summary) return;
    event.preventDefault();
    var control = summary.parentElement;
    var text = summary.querySelector("[data-copy-text]");
    function copied() {
      if (!text) return;
      if (!("idle" in text.dataset)) text.dataset.idle = text.textContent;
      window.clearTimeout(control._copiedTimer);
      text.textContent = "Copied";
      control.classList.add("copied");
      control._copiedTimer = window.setTimeout(function () {
        text.textContent = text.dataset.idle;
        control.classList.remove("copied");
      }, 2000);
    }
    function showInstead() {
      control.open = true;
      var value = control.querySelector(".copy-id-value");
      if (value && window.getSelection) window.getSelection().selectAllChildren(value);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(summary.getAttribute("data-copy-id")).then(copied, showInstead);
    } else {
      showInstead();
    }
  });

  // Toasts sent by the server with HX-Trigger: {"revox:toast": [{level, message}]}.
  document.addEventListener("revox:toast", function (event) {
    var detail = event.detail || {};
    var toasts = Array.isArray(detail.value) ? detail.value : (Array.isArray(detail) ? detail : [detail]);
    toasts.forEach(function (t) { if (t && t.message) showToast(t.level, t.message, t.sticky === true); });
  });

  // The dashboard itself failed to answer, or the network did.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 403) showToast("danger", "You don't have permission to do that.");
    else if (status === 429) showToast("warning", "Too many requests; wait a moment and retry.");
    else showToast("danger", "Something went wrong on our side (" + status + "). Nothing you typed was lost; try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    showToast("danger", "Can't reach the dashboard. Check your connection; nothing you typed was lost.");
  });

  function initCounters(root) {
    root.querySelectorAll("[data-count-for]").forEach(function (counter) {
      var field = document.getElementById(counter.getAttribute("data-count-for"));
      if (!field || counter.dataset.bound) return;
      counter.dataset.bound = "1";
      var max = parseInt(counter.getAttribute("data-max") || "0", 10);
      function update() {
        var n = field.value.length;
        counter.textContent = n.toLocaleString() + (max ? " / " + max.toLocaleString() : "") + " characters";
        counter.classList.toggle("over", max > 0 && n > max);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  // A button stays disabled until the text typed equals data-confirm-value (typed-name delete).
  function initConfirmInputs(root) {
    root.querySelectorAll("[data-confirm-value]").forEach(function (input) {
      var button = document.getElementById(input.getAttribute("data-confirm-button"));
      if (!button || input.dataset.bound) return;
      input.dataset.bound = "1";
      function update() { button.disabled = input.value.trim() !== input.getAttribute("data-confirm-value").trim(); }
      input.addEventListener("input", update);
      update();
    });
  }

  // Date fields typed in the reader's own order (data-date-format, e.g. "%d/%m/%Y"; see
  // assistants/dates.py): the calendar button opens the browser's date picker on a hidden
  // date input and writes the chosen day back in that order.
  function formatDate(iso, format) {
    var parts = iso.split("-");
    return format.replace("%Y", parts[0]).replace("%m", parts[1]).replace("%d", parts[2]);
  }
  function parseDate(text, format) {
    var order = format.match(/%[dmY]/g) || [];
    var numbers = text.trim().match(/\d+/g) || [];
    if (numbers.length !== 3 || order.length !== 3) return "";
    var at = {};
    order.forEach(function (token, i) { at[token] = numbers[i]; });
    if (at["%Y"].length !== 4) return "";
    return at["%Y"] + "-" + ("0" + at["%m"]).slice(-2) + "-" + ("0" + at["%d"]).slice(-2);
  }
  function initDatePickers(root) {
    root.querySelectorAll("[data-date-field]").forEach(function (group) {
      var field = group.querySelector("[data-date-format]");
      var button = group.querySelector("[data-date-picker]");
      var proxy = document.createElement("input");
      if (!field || !button || group.dataset.bound) return;
      proxy.type = "date";
      if (typeof proxy.showPicker !== "function") return;  // no picker: typing still works
      group.dataset.bound = "1";
      proxy.tabIndex = -1;
      proxy.className = "date-picker-proxy";
      proxy.setAttribute("aria-hidden", "true");
      proxy.setAttribute("data-date-proxy", field.id);
      group.after(proxy);  // outside the group: Bootstrap rounds its last child's corners
      button.hidden = false;
      var format = field.getAttribute("data-date-format");
      button.addEventListener("click", function () {
        proxy.value = parseDate(field.value, format) || parseDate(field.value, "%Y-%m-%d");
        try { proxy.showPicker(); } catch (err) { field.focus(); }
      });
      proxy.addEventListener("change", function () {
        if (!proxy.value) return;
        field.value = formatDate(proxy.value, format);
        field.dispatchEvent(new Event("change", { bubbles: true }));
        field.focus();
      });
    });
  }

  function init(root) {
    initDatePickers(root);
    initCounters(root);
    initConfirmInputs(root);
    root.querySelectorAll("[data-server-toast]").forEach(function (node) {
      node.removeAttribute("data-server-toast");
      new bootstrap.Toast(node, node.hasAttribute("data-sticky") ? { autohide: false } : { delay: 6000 }).show();
    });
    root.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (node) {
      bootstrap.Tooltip.getOrCreateInstance(node);
    });
  }

  htmx.onLoad(function (root) { if (window.bootstrap) init(root); });
})();

// Each field group's script loads on its own editor page only. Switching editors in place (the
// tabs are htmx links) brings the next group's [data-editor-script]: load it once, then let it
// see the page it arrived with (its handlers run on htmx:load and mark what they bound).
htmx.onLoad(function (root) {
  root.querySelectorAll("[data-editor-script]").forEach(function (marker) {
    var src = marker.getAttribute("data-editor-script");
    if (document.querySelector('script[src="' + src + '"]')) return;
    var script = document.createElement("script");
    script.src = src;
    script.addEventListener("load", function () { htmx.trigger(marker.parentElement, "htmx:load"); });
    document.head.appendChild(script);
  });
});

// An editor's live preview (#live-preview) answering after the editor was swapped away (a tab
// switched in place): the pieces it brings have nowhere to go, so it is dropped.
htmx.onLoad(function (root) {
  root.querySelectorAll("#live-preview:not([data-bound])").forEach(function (trigger) {
    trigger.dataset.bound = "1";
    trigger.addEventListener("htmx:beforeSwap", function (event) {
      if (!document.body.contains(trigger)) event.detail.shouldSwap = false;
    });
  });
});

// The editor's tabs swap the page in place: the focus moves to its new heading, as after a load.
document.addEventListener("htmx:afterSettle", function (event) {
  if (!event.detail.target || event.detail.target.id !== "editor-page") return;
  var heading = document.getElementById("editor-title");
  if (heading) heading.focus({ preventScroll: true });
});
