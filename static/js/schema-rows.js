// Schema rows (structured-output fields, custom-tool parameters): the enum options box shows only
// for "One of a list", and "Use it" takes the snake_case spelling the server suggests for a name
// (editors/_snake_hint.html, asked again as the name is typed). Loaded by the editors that include
// editors/_schema_rows.html; rows added later arrive through htmx.onLoad.
(function () {
  "use strict";

  function bindRow(row) {
    if (row.dataset.schemaBound) return;
    row.dataset.schemaBound = "1";
    var type = row.querySelector("[data-schema-type]");
    var enumBox = row.querySelector("[data-enum-box]");
    function showEnum() {
      if (type && enumBox) enumBox.classList.toggle("d-none", type.value !== "enum");
    }
    if (type) type.addEventListener("change", showEnum);
    showEnum();
  }

  document.addEventListener("click", function (event) {
    var apply = event.target.closest && event.target.closest("[data-snake-apply]");
    var row = apply && apply.closest("[data-formset-row]");
    var name = row && row.querySelector("[data-schema-name]");
    if (!name) return;
    name.value = apply.closest("[data-snake-hint]").querySelector("[data-snake-suggestion]").textContent;
    name.dispatchEvent(new Event("input", { bubbles: true }));
    name.focus();
  });

  htmx.onLoad(function (root) {
    var rows = Array.prototype.slice.call(root.querySelectorAll("[data-schema-rows] [data-formset-row]"));
    if (root.matches && root.matches("[data-schema-rows] [data-formset-row]")) rows.push(root);
    rows.forEach(bindRow);
    root.querySelectorAll("[data-snake-apply]").forEach(function (button) { button.classList.remove("d-none"); });
    if (root.matches && root.matches("[data-snake-hint]")) root.querySelector("[data-snake-apply]").classList.remove("d-none");
  });
})();
