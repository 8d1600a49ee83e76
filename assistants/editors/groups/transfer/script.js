// Transfer editor: phone numbers grouped as you type (the server reads them as E.164). (The
// transfer mode shows once there is somewhere to transfer to, the warm-transfer instructions for
// warm transfer only: style.css; "Convert to a destination" is answered by the server.)
(function () {
  "use strict";

  // Country calling codes one or two digits long; every other code has three.
  var ONE_DIGIT = ["1", "7"];
  var TWO_DIGITS = ("20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 " +
    "60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98").split(" ");

  function digitsOf(text) { return text.replace(/\D/g, ""); }

  function groups(digits, sizes) {
    var out = [], at = 0;
    sizes.forEach(function (size) {
      if (at < digits.length) { out.push(digits.slice(at, at + size)); at += size; }
    });
    if (at < digits.length) out.push(digits.slice(at));
    return out;
  }

  // "+14155550142" -> "+1 415 555 0142"; "+33478550100" -> "+33 478 550 100".
  function formatPhone(value) {
    var trimmed = value.trim();
    if (trimmed.charAt(0) !== "+") return value;  // not international: leave it for the server to explain
    var digits = digitsOf(trimmed);
    if (!digits) return "+";
    var codeLength = ONE_DIGIT.indexOf(digits[0]) >= 0 ? 1 : TWO_DIGITS.indexOf(digits.slice(0, 2)) >= 0 ? 2 : 3;
    var code = digits.slice(0, codeLength), rest = digits.slice(codeLength);
    var parts = code === "1" ? groups(rest, [3, 3, 4]) : groups(rest, [3, 3, 3, 3]);
    // Never leave a lonely last digit: "+33 478 550 100 1" reads worse than "… 1001".
    if (parts.length > 1 && parts[parts.length - 1].length === 1) {
      parts[parts.length - 2] += parts.pop();
    }
    return ["+" + code].concat(parts).join(" ");
  }

  function bindPhone(input) {
    if (input.dataset.phoneBound) return;
    input.dataset.phoneBound = "1";
    input.value = formatPhone(input.value);
    input.addEventListener("input", function () {
      // Keep the caret after the same number of digits once spaces move around.
      var caret = input.selectionStart || 0;
      var digitsBefore = digitsOf(input.value.slice(0, caret)).length;
      var formatted = formatPhone(input.value);
      if (formatted === input.value) return;
      input.value = formatted;
      var seen = 0, position = formatted.length;
      if (digitsBefore === 0) position = formatted.charAt(0) === "+" ? 1 : 0;
      for (var i = 0; i < formatted.length && digitsBefore > 0; i++) {
        if (/\d/.test(formatted[i])) seen++;
        if (seen === digitsBefore) { position = i + 1; break; }
      }
      input.setSelectionRange(position, position);
    });
  }

  htmx.onLoad(function (root) {
    root.querySelectorAll("input[data-phone]").forEach(bindPhone);
    root.querySelectorAll("[data-phone-text]").forEach(function (node) { node.textContent = formatPhone(node.textContent); });
  });
})();
