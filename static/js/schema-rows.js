// Schema rows (structured-output fields, custom-tool parameters): the enum options box shows only
// for "One of a list", and "Use it" takes the snake_case spelling the server suggests for a name
// (editors/_snake_hint.html, asked again as the name is typed). Loaded by the editors that include
// editors/_schema_rows.html; rows added later arrive through htmx.onLoad.
document.addEventListener("click", function (event) {
  var apply = event.target.closest && event.target.closest("[data-snake-apply]");
  var name = apply && apply.closest("[data-formset-row]").querySelector("[data-schema-name]");
  if (!name) return;
  name.value = apply.closest("[data-snake-hint]").querySelector("[data-snake-suggestion]").textContent;
  name.dispatchEvent(new Event("input", { bubbles: true }));
  name.focus();
});

// The options box follows the type: on load, and on every change of a type.
["htmx:load", "change"].forEach(function (name) {
  document.addEventListener(name, function (event) {
    var root = event.target.parentNode || event.target;
    root.querySelectorAll("[data-schema-rows] [data-schema-type]").forEach(function (type) {
      var box = type.closest("[data-formset-row]").querySelector("[data-enum-box]");
      if (box) box.classList.toggle("d-none", type.value !== "enum");
    });
    root.querySelectorAll("[data-snake-apply]").forEach(function (button) { button.classList.remove("d-none"); });
  });
});
