// Integrations editor: an integration's settings fold away while its switch is off (they are
// still sent, and ignored by the server), and each template lists the {{variables}} it uses.
(function () {
  "use strict";

  var PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;  // the same rule as the server's

  function bindIntegration(card) {
    if (card.dataset.bound) return;
    card.dataset.bound = "1";
    var toggle = card.querySelector("[data-integration-switch]");
    var body = card.querySelector("[data-integration-body]");
    var off = card.querySelector("[data-integration-off]");
    function update() {
      // Settings with an error stay in view, so the user can see what to fix.
      var show = toggle.checked || !!body.querySelector(".invalid-feedback, .alert-danger");
      body.classList.toggle("d-none", !show);
      off.classList.toggle("d-none", show);
    }
    toggle.addEventListener("change", update);
    update();
  }

  function bindPlaceholders(list) {
    if (list.dataset.bound) return;
    list.dataset.bound = "1";
    var field = document.getElementById(list.getAttribute("data-placeholders-for"));
    var chips = list.querySelector("[data-placeholder-chips]");
    if (!field) return;
    field.addEventListener("input", function () {
      var names = [], match;
      PLACEHOLDER.lastIndex = 0;
      while ((match = PLACEHOLDER.exec(field.value))) {
        if (match[1] && names.indexOf(match[1]) < 0) names.push(match[1]);
      }
      chips.replaceChildren();
      if (!names.length) {
        var none = document.createElement("span");
        none.className = "fst-italic";
        none.textContent = "none";
        chips.appendChild(none);
      }
      names.forEach(function (name) {
        var code = document.createElement("code");
        code.className = "placeholder-chip";
        code.textContent = "{{" + name + "}}";
        chips.appendChild(code);
        chips.appendChild(document.createTextNode(" "));
      });
    });
  }

  document.addEventListener("revox:init", function (event) {
    var root = event.detail.root;
    root.querySelectorAll("[data-integration]").forEach(bindIntegration);
    root.querySelectorAll("[data-placeholders-for]").forEach(bindPlaceholders);
  });
})();
