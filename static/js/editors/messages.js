// Messages editor: the {{variables}} each template uses, listed live under it; the e-mail
// addresses as chips (a red one does not look like an address); the fixed SMS text folded away
// while the SMS tool is off (still sent unchanged).
(function () {
  "use strict";

  var ADDRESS = /^[^@\s,]+@[^@\s,.]+(\.[^@\s,.]+)+$/;

  function chip(tag, className, text, icon) {
    var node = document.createElement(tag);
    node.className = className;
    if (icon) {
      var i = document.createElement("i");
      i.className = "bi bi-" + icon;
      node.appendChild(i);
      node.appendChild(document.createTextNode(" "));
    }
    node.appendChild(document.createTextNode(text));
    return node;
  }

  function bindAddresses(list) {
    if (list.dataset.bound) return;
    list.dataset.bound = "1";
    var field = document.getElementById(list.getAttribute("data-address-list-for"));
    if (!field) return;
    field.addEventListener("input", function () {
      var seen = [];
      list.replaceChildren();
      field.value.split(",").forEach(function (part) {
        var address = part.trim();
        if (!address || seen.indexOf(address.toLowerCase()) >= 0) return;
        seen.push(address.toLowerCase());
        var valid = ADDRESS.test(address);
        list.appendChild(chip("li", "list-inline-item badge address-chip " + (valid ? "badge-soft-primary" : "text-bg-danger"),
          address, valid ? "envelope" : "exclamation-triangle"));
      });
    });
  }

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

  document.addEventListener("revox:init", function (event) {
    var root = event.detail.root;
    root.querySelectorAll("[data-address-list-for]").forEach(bindAddresses);
    root.querySelectorAll("[data-sms-tool]").forEach(bindSmsTool);
  });
})();
