// Tools: the tool cards are the rows of a formset (static/js/formset.js adds and removes them,
// and the rows of the header, query and parameter formsets inside each). This script keeps
// each card's title and method badge current, keeps one sample-value box per input parameter,
// and drops the blank rows the server renders for browsers without JavaScript (a blank row the
// page drops is ignored by the server).
(function () {
  "use strict";

  // Removed, not hidden (as formset.js hides spare rows): the live preview would otherwise
  // answer for the rows of a blank tool, which are gone.
  function dropBlankRows(root) {
    root.querySelectorAll("[data-tools] [data-blank-extra], [data-tool][data-spare-row]").forEach(function (row) {
      var container = row.parentNode.closest("[data-formset]");
      row.remove();
      var empty = container.querySelector(":scope > [data-formset-empty]");
      var left = container.querySelectorAll(":scope > [data-formset-rows] > [data-formset-row]:not(.d-none)");
      if (empty) empty.classList.toggle("d-none", left.length > 0);
    });
  }

  function syncTitle(card) {
    var name = card.querySelector("[data-tool-name]");
    var title = card.querySelector("[data-tool-title]");
    if (name && title) title.textContent = name.value.trim() || title.getAttribute("data-placeholder");
    var method = card.querySelector('select[name$="-method"]');
    var badge = card.querySelector("[data-tool-method-badge]");
    if (method && badge) badge.textContent = method.value;
  }

  // One sample box per named, kept input parameter, in the parameters' order.
  function syncSamples(card) {
    var samples = card.querySelector("[data-samples]");
    if (!samples) return;
    var wanted = [];
    card.querySelectorAll("[data-schema-rows] [data-formset-row]").forEach(function (row) {
      var name = row.querySelector("[data-schema-name]");
      if (row.classList.contains("d-none") || !name || !name.value.trim()) return;
      var prefix = name.name.replace(/-name$/, "");
      var item = samples.querySelector('[data-sample-for="' + prefix + '"]');
      if (!item) {
        item = document.createElement("div");
        item.className = "col-sm-6 col-lg-4";
        item.setAttribute("data-sample-for", prefix);
        var label = document.createElement("label");
        label.className = "form-label small mb-0 font-monospace-sm";
        label.setAttribute("data-sample-label", "");
        label.htmlFor = "id_" + prefix + "-sample";
        var input = document.createElement("input");
        input.type = "text";
        input.name = prefix + "-sample";
        input.id = "id_" + prefix + "-sample";
        input.className = "form-control form-control-sm";
        input.autocomplete = "off";
        item.appendChild(label);
        item.appendChild(input);
      }
      item.querySelector("[data-sample-label]").textContent = name.value.trim();
      wanted.push(item);
    });
    Array.prototype.slice.call(samples.children).forEach(function (item) {
      if (wanted.indexOf(item) < 0) item.remove();
    });
    wanted.forEach(function (item) { samples.appendChild(item); });
  }

  function bindCard(card) {
    if (card.dataset.toolBound) return;
    card.dataset.toolBound = "1";
    card.addEventListener("input", function (event) {
      if (event.target.matches("[data-tool-name]")) syncTitle(card);
      if (event.target.matches("[data-schema-name]")) syncSamples(card);
    });
    card.addEventListener("change", function (event) {
      if (event.target.matches('select[name$="-method"]')) syncTitle(card);
    });
    card.addEventListener("formset:changed", function () { syncSamples(card); });
    syncSamples(card);
  }

  // Before formset.js numbers the rows (its handler is registered first, on the editor page,
  // but a group's script arriving with a tab switch runs later: the blank rows then go here).
  htmx.onLoad(function (root) {
    if (root.matches && root.matches("[data-tool]")) {
      // A tool just added by formset.js ("Add a tool"): open, ready to fill in.
      root.open = true;
      root.removeAttribute("data-spare-row");
      bindCard(root);
      return;
    }
    if (root.matches && root.matches("[data-formset-row]")) {
      // A row just added by formset.js: blank on purpose, keep it.
      root.removeAttribute("data-blank-extra");
      return;
    }
    dropBlankRows(root);
    root.querySelectorAll("[data-tool]").forEach(bindCard);
    var preview = root.querySelector("[data-preview-result], [data-preview-error]");
    if (preview) preview.scrollIntoView({ block: "center" });
  });
})();
