// Messages editor: the fixed SMS text folded away while the SMS tool is off (still sent
// unchanged). The {{variables}} each template uses and the e-mail addresses as chips come from
// the server as they are typed (fields.html, partial "live").
(function () {
  "use strict";

  function bindSmsTool(card) {
    if (card.dataset.bound) return;
    card.dataset.bound = "1";
    var toggle = card.querySelector("input[type=checkbox]");
    var detail = card.querySelector("[data-sms-detail]");
    function update() {
      detail.classList.toggle("d-none", !toggle.checked && !detail.querySelector(".invalid-feedback"));
    }
    toggle.addEventListener("change", update);
    update();
  }

  htmx.onLoad(function (root) {
    root.querySelectorAll("[data-sms-tool]").forEach(bindSmsTool);
  });
})();
