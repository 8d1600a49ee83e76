// Integrations editor: an integration's settings fold away while its switch is off (they are
// still sent, and ignored by the server), and each template lists the {{variables}} it uses.
(function () {
  "use strict";


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

  htmx.onLoad(function (root) {
    root.querySelectorAll("[data-integration]").forEach(bindIntegration);
  });
})();
