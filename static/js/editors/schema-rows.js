// Schema rows (structured-output fields, custom-tool parameters): show the enum options box only
// for "One of a list", and suggest a snake_case spelling of each name. Loaded by the editors that
// include editors/_schema_rows.html; rows added later arrive through revox:init.
(function () {
  "use strict";
  if (window.revoxSchemaRows) return;  // the editor may be swapped in again by htmx
  window.revoxSchemaRows = true;

  var SNAKE = /^[a-z][a-z0-9_]*$/;

  // Same rule as snake_case() in assistants/editors/forms/structured_output.py.
  function snakeCase(text) {
    var ascii = text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
    var name = ascii.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()
      .replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
    if (name && !/^[a-z]/.test(name)) name = "field_" + name;
    return name;
  }

  function bindRow(row) {
    if (row.dataset.schemaBound) return;
    row.dataset.schemaBound = "1";
    var type = row.querySelector("[data-schema-type]");
    var enumBox = row.querySelector("[data-enum-box]");
    var name = row.querySelector("[data-schema-name]");
    var hint = row.querySelector("[data-snake-hint]");
    var apply = row.querySelector("[data-snake-apply]");

    function showEnum() {
      if (type && enumBox) enumBox.classList.toggle("d-none", type.value !== "enum");
    }
    function showHint() {
      if (!name || !hint) return;
      var value = name.value.trim();
      var suggestion = value && !SNAKE.test(value) ? snakeCase(value) : "";
      hint.classList.toggle("d-none", !suggestion || suggestion === value);
      hint.querySelector("[data-snake-suggestion]").textContent = suggestion;
    }
    if (type) type.addEventListener("change", showEnum);
    if (name) name.addEventListener("input", showHint);
    if (apply && name) {
      apply.classList.remove("d-none");
      apply.addEventListener("click", function () {
        name.value = hint.querySelector("[data-snake-suggestion]").textContent;
        name.dispatchEvent(new Event("input", { bubbles: true }));
        name.focus();
      });
    }
    showEnum();
    showHint();
  }

  document.addEventListener("revox:init", function (event) {
    var root = event.detail.root;
    var rows = Array.prototype.slice.call(root.querySelectorAll("[data-schema-rows] [data-formset-row]"));
    if (root.matches && root.matches("[data-schema-rows] [data-formset-row]")) rows.push(root);
    rows.forEach(bindRow);
  });
})();
