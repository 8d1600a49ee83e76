// Row editors built on Django formsets: add, remove and reorder rows in place.
//
// Markup (see templates/partials/formset_controls.html):
//   <div data-formset="PREFIX">
//     {{ formset.management_form }}
//     <div data-formset-rows>
//       <div data-formset-row> …fields… {{ form.DELETE }} {{ form.ORDER }}
//         <button type="button" data-formset-up>  <button data-formset-down>  <button data-formset-remove>
//       </div>
//     </div>
//     <template data-formset-template><div data-formset-row>…{{ formset.empty_form }}…</div></template>
//     <button type="button" data-formset-add>Add</button>
//   </div>
// Without JavaScript the page still works: the formset shows a blank extra row, a "Remove"
// checkbox per row and an order number; the buttons above are hidden until this script runs.
(function () {
  "use strict";

  function rowsOf(container) {
    return Array.prototype.filter.call(
      container.querySelector("[data-formset-rows]").children,
      function (row) { return row.hasAttribute("data-formset-row") && !row.classList.contains("d-none"); }
    );
  }

  function renumber(container) {
    rowsOf(container).forEach(function (row, index) {
      var order = row.querySelector('input[name$="-ORDER"]');
      if (order) order.value = index + 1;
      row.querySelectorAll("[data-formset-index]").forEach(function (node) { node.textContent = index + 1; });
    });
    var empty = container.querySelector("[data-formset-empty]");
    if (empty) empty.classList.toggle("d-none", rowsOf(container).length > 0);
    container.dispatchEvent(new CustomEvent("formset:changed", { bubbles: true }));
  }

  function bind(container) {
    if (container.dataset.formsetBound) return;
    container.dataset.formsetBound = "1";
    container.classList.add("formset-enhanced");
    var prefix = container.getAttribute("data-formset");
    var total = container.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = container.querySelector("template[data-formset-template]");

    container.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !container.contains(button)) return;
      var row = button.closest("[data-formset-row]");
      if (button.hasAttribute("data-formset-add")) {
        event.preventDefault();
        var index = parseInt(total.value, 10);
        var html = template.innerHTML.replace(/__prefix__/g, String(index));
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.firstElementChild;
        container.querySelector("[data-formset-rows]").appendChild(fresh);
        total.value = index + 1;
        renumber(container);
        if (window.htmx) window.htmx.process(fresh);
        document.dispatchEvent(new CustomEvent("revox:init", { detail: { root: fresh } }));
        var first = fresh.querySelector("input:not([type=hidden]):not([type=checkbox]), textarea, select");
        if (first) first.focus();
      } else if (row && button.hasAttribute("data-formset-remove")) {
        event.preventDefault();
        var del = row.querySelector('input[name$="-DELETE"]');
        if (del) del.checked = true;
        row.classList.add("d-none");
        renumber(container);
      } else if (row && (button.hasAttribute("data-formset-up") || button.hasAttribute("data-formset-down"))) {
        event.preventDefault();
        var rows = rowsOf(container);
        var at = rows.indexOf(row);
        var up = button.hasAttribute("data-formset-up");
        var other = rows[up ? at - 1 : at + 1];
        if (!other) return;
        if (up) other.parentNode.insertBefore(row, other);
        else other.parentNode.insertBefore(other, row);
        renumber(container);
        button.focus();
      }
    });
    renumber(container);
  }

  document.addEventListener("revox:init", function (event) {
    var root = event.detail.root;
    if (root.matches && root.matches("[data-formset]")) bind(root);
    root.querySelectorAll("[data-formset]").forEach(bind);
  });
})();
