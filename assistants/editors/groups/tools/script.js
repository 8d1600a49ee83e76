// Tools: add and remove tool cards (each a prefixed form with its own header, query and
// parameter formsets, run by formset.js), keep each card's title and method badge current,
// keep one sample-value box per input parameter, and hide the blank rows the server renders
// for browsers without JavaScript (a blank row the page drops is ignored by the server).
(function () {
  "use strict";

  function visible(node) { return !node.classList.contains("d-none"); }

  function dropBlankRows(root) {
    root.querySelectorAll("[data-blank-extra]").forEach(function (row) {
      if (!row.closest("[data-tools]")) return;  // the same rows elsewhere (data to extract) stay
      var container = row.closest("[data-formset]");
      row.remove();
      if (container) {
        var empty = container.querySelector("[data-formset-empty]");
        var left = container.querySelectorAll("[data-formset-rows] > [data-formset-row]:not(.d-none)");
        if (empty) empty.classList.toggle("d-none", left.length > 0);
      }
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
      if (!visible(row) || !name || !name.value.trim()) return;
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

  function toggleEmpty(tools) {
    var empty = tools.querySelector("[data-tools-empty]");
    var shown = Array.prototype.filter.call(tools.querySelectorAll("[data-tool-list] > [data-tool]"), visible);
    if (empty) empty.classList.toggle("d-none", shown.length > 0);
  }

  function bindTools(tools) {
    if (tools.dataset.toolsBound) return;
    tools.dataset.toolsBound = "1";
    tools.classList.add("tools-enhanced");
    var prefix = tools.getAttribute("data-tools");
    var total = tools.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = tools.querySelector("template[data-tool-template]");
    var list = tools.querySelector("[data-tool-list]");
    tools.querySelectorAll("[data-tool-blank]").forEach(function (card) { card.remove(); });
    toggleEmpty(tools);

    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !tools.contains(button)) return;
      if (button.hasAttribute("data-tool-add")) {
        event.preventDefault();
        var index = parseInt(total.value, 10);
        // Only the tool's own placeholder: the rows inside keep theirs for formset.js.
        var pattern = new RegExp(prefix + "-__prefix__", "g");
        var holder = document.createElement("div");
        holder.innerHTML = template.innerHTML.replace(pattern, prefix + "-" + index).trim();
        var card = holder.firstElementChild;
        card.removeAttribute("data-tool-blank");
        card.open = true;
        dropBlankRows(card);
        list.appendChild(card);
        total.value = index + 1;
        toggleEmpty(tools);
        if (window.htmx) window.htmx.process(card);
        htmx.trigger(card, "htmx:load");
        var name = card.querySelector("[data-tool-name]");
        if (name) name.focus();
      } else if (button.hasAttribute("data-tool-remove")) {
        event.preventDefault();  // inside <summary>: don't fold the card as well
        var removed = button.closest("[data-tool]");
        var del = removed.querySelector('input[name="' + removed.getAttribute("data-tool") + '-DELETE"]');
        if (del) del.checked = true;
        removed.classList.add("d-none");
        toggleEmpty(tools);
      }
    });
  }

  // Capture phase: runs before formset.js binds (and numbers) the rows, so that the blank rows
  // are gone by then.
  htmx.onLoad(function (root) {
    if (root.matches && root.matches("[data-formset-row]")) {
      // A row just added by formset.js: blank on purpose, keep it.
      root.removeAttribute("data-blank-extra");
      return;
    }
    if (!(root.matches && root.matches("[data-tool]"))) dropBlankRows(root);
    root.querySelectorAll("[data-tools]").forEach(bindTools);
    if (root.matches && root.matches("[data-tool]")) bindCard(root);
    root.querySelectorAll("[data-tool]").forEach(bindCard);
    var preview = root.querySelector("[data-preview-result], [data-preview-error]");
    if (preview) preview.scrollIntoView({ block: "center" });
  }, true);
})();
