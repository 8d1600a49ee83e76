// Messages editor: the fixed SMS text folded away while the SMS tool is off (still sent
// unchanged). The {{variables}} each template uses and the e-mail addresses as chips come from
// the server as they are typed (fields.html, partial "live").
htmx.onLoad(function (root) {
  root.querySelectorAll("[data-sms-tool]:not([data-bound])").forEach(function (card) {
    card.dataset.bound = "1";
    var toggle = card.querySelector("input[type=checkbox]");
    var detail = card.querySelector("[data-sms-detail]");
    var update = function () {
      detail.classList.toggle("d-none", !toggle.checked && !detail.querySelector(".invalid-feedback"));
    };
    toggle.addEventListener("change", update);
    update();
  });
});
