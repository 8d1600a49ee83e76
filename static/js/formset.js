// Row editors built on Django formsets: add, remove and reorder rows in place.
//
// Markup (the row controls: templates/partials/formset_row_controls.html):
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

  // The first `selector` of this formset's own, not of a formset nested in its rows.
  function part(container, selector) {
    return Array.prototype.find.call(container.querySelectorAll(selector), function (node) {
      return node.closest("[data-formset]") === container;
    });
  }

  function rowsOf(container) {
    return Array.prototype.filter.call(
      part(container, "[data-formset-rows]").children,
      function (row) { return row.hasAttribute("data-formset-row") && !row.classList.contains("d-none"); }
    );
  }

  var TEXT_INPUTS = 'textarea, input:not([type]), input[type=text], input[type=number], input[type=email], ' +
    'input[type=url], input[type=tel], input[type=search], input[type=time]';

  // A spare row (one the server rendered blank, or one added and not typed into) must stay
  // "unchanged" for Django, which skips it; giving it an order number would make Django
  // validate it and ask for its required fields.
  function isSpare(container, row) {
    var prefix = container.getAttribute("data-formset");
    var initial = container.querySelector('input[name="' + prefix + '-INITIAL_FORMS"]');
    var named = row.querySelector('[name^="' + prefix + '-"]');
    var match = named && named.getAttribute("name").match(new RegExp("^" + prefix + "-(\\d+)-"));
    if (!match || !initial || parseInt(match[1], 10) < parseInt(initial.value, 10)) return false;
    return Array.prototype.every.call(row.querySelectorAll(TEXT_INPUTS), function (input) {
      return /-ORDER$/.test(input.name) || !input.value.trim();
    });
  }

  // A row's own fields and markers, not those of a formset nested in it (a tool's parameters).
  function own(row, selector) {
    return Array.prototype.filter.call(row.querySelectorAll(selector), function (node) {
      return node.closest("[data-formset-row]") === row;
    });
  }

  function renumber(container) {
    rowsOf(container).forEach(function (row, index) {
      var order = own(row, 'input[name$="-ORDER"]')[0];
      if (order) order.value = isSpare(container, row) ? "" : index + 1;
      own(row, "[data-formset-index]").forEach(function (node) { node.textContent = index + 1; });
    });
    var empty = part(container, "[data-formset-empty]");
    if (empty) empty.classList.toggle("d-none", rowsOf(container).length > 0);
    container.dispatchEvent(new CustomEvent("formset:changed", { bubbles: true }));
  }

  function bind(container) {
    if (container.dataset.formsetBound) return;
    container.dataset.formsetBound = "1";
    container.classList.add("formset-enhanced");
    var prefix = container.getAttribute("data-formset");
    var total = container.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = part(container, "template[data-formset-template]");
    // The blank row a page without JavaScript needs to add one (data-spare-row): "Add" does it.
    part(container, "[data-formset-rows]").querySelectorAll(":scope > [data-spare-row]").forEach(function (row) {
      row.classList.add("d-none");
    });

    // Typing into a spare row makes it a real one: give it its place.
    container.addEventListener("input", function (event) {
      if (!/-ORDER$/.test(event.target.name || "")) renumber(container);
    });

    container.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || button.closest("[data-formset]") !== container) return;
      var row = button.closest("[data-formset-row]");
      if (button.hasAttribute("data-formset-add")) {
        event.preventDefault();
        var index = parseInt(total.value, 10);
        // This formset's placeholder only: a formset nested in the row keeps its own.
        var html = template.innerHTML.replace(new RegExp(prefix + "-__prefix__", "g"), prefix + "-" + index);
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.firstElementChild;
        part(container, "[data-formset-rows]").appendChild(fresh);
        total.value = index + 1;
        renumber(container);
        htmx.process(fresh);
        htmx.trigger(fresh, "htmx:load");  // the row's own behaviour (htmx.onLoad handlers)
        var first = fresh.querySelector("input:not([type=hidden]):not([type=checkbox]), textarea, select");
        if (first) first.focus();
      } else if (row && button.hasAttribute("data-formset-remove")) {
        event.preventDefault();
        var del = own(row, 'input[name$="-DELETE"]')[0];
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

  htmx.onLoad(function (root) {
    if (root.matches && root.matches("[data-formset]")) bind(root);
    root.querySelectorAll("[data-formset]").forEach(bind);
  });
})();
