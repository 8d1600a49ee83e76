// Speech editor: the domain terms box becomes tags. Type a term and press Enter or a comma;
// Backspace in an empty entry removes the last tag. The (hidden) textarea stays the field that
// is submitted, one term per line, so the page works the same without this script.
(function () {
  "use strict";

  function splitTerms(text) {
    var terms = [];
    text.split(/[\n,]/).forEach(function (part) {
      var term = part.trim();
      if (term && terms.indexOf(term) < 0) terms.push(term);
    });
    return terms;
  }

  function bindTags(textarea) {
    if (textarea.dataset.tagsBound) return;
    textarea.dataset.tagsBound = "1";
    var terms = splitTerms(textarea.value);
    var box = document.createElement("div");
    box.className = "form-control tags-input";
    if (textarea.classList.contains("is-invalid")) box.classList.add("is-invalid");
    var entry = document.createElement("input");
    entry.type = "text";
    entry.className = "tags-entry";
    entry.placeholder = "Type a word, then Enter";
    entry.setAttribute("aria-label", "Add a word to listen for");
    if (textarea.id) {
      // The field's <label> now names the entry, which is what gets focus.
      var label = document.querySelector('label[for="' + textarea.id + '"]');
      entry.id = textarea.id + "_entry";
      if (label) label.setAttribute("for", entry.id);
    }
    box.appendChild(entry);
    textarea.classList.add("d-none");
    textarea.parentNode.insertBefore(box, textarea);

    function sync() {
      var pending = entry.value.trim();
      var all = terms.slice();
      if (pending && all.indexOf(pending) < 0) all.push(pending);
      var text = all.join("\n");
      // Left alone unless the terms changed, so an untouched page sends exactly what it got.
      if (splitTerms(textarea.value).join("\n") !== text) textarea.value = text;
    }

    function render() {
      box.querySelectorAll(".tag").forEach(function (tag) { tag.remove(); });
      terms.forEach(function (term, index) {
        var tag = document.createElement("span");
        tag.className = "tag badge";
        tag.appendChild(document.createTextNode(term));
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn-close btn-close-sm";
        remove.setAttribute("aria-label", "Remove " + term);
        remove.addEventListener("click", function () {
          terms.splice(index, 1);
          render();
          sync();
          entry.focus();
        });
        tag.appendChild(remove);
        box.insertBefore(tag, entry);
      });
    }

    function commit() {
      splitTerms(entry.value).forEach(function (term) { if (terms.indexOf(term) < 0) terms.push(term); });
      entry.value = "";
      render();
      sync();
    }

    entry.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        event.preventDefault();  // Enter must not submit the form half-typed
        commit();
      } else if (event.key === "Backspace" && entry.value === "" && terms.length) {
        terms.pop();
        render();
        sync();
      }
    });
    entry.addEventListener("input", function () {
      if (/[\n,]/.test(entry.value)) commit();  // pasted "a, b, c"
      else sync();
    });
    entry.addEventListener("blur", function () { if (entry.value.trim()) commit(); });
    box.addEventListener("click", function (event) { if (event.target === box) entry.focus(); });
    render();
  }

  htmx.onLoad(function (root) {
    root.querySelectorAll("textarea[data-tags]").forEach(bindTags);
  });
})();
