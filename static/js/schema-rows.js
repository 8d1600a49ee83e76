// Schema rows (structured-output fields, custom-tool parameters): "Use it" takes the snake_case
// spelling the server suggests for a name (editors/_snake_hint.html, asked again as the name is
// typed). (The enum options box shows for "One of a list" only: app.css.)
document.addEventListener("click", function (event) {
  var apply = event.target.closest && event.target.closest("[data-snake-apply]");
  var name = apply && apply.closest("[data-formset-row]").querySelector("[data-schema-name]");
  if (!name) return;
  name.value = apply.closest("[data-snake-hint]").querySelector("[data-snake-suggestion]").textContent;
  name.dispatchEvent(new Event("input", { bubbles: true }));
  name.focus();
});
