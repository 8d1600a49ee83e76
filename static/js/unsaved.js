// Changes not saved yet on an editor page: a warning before they are lost.
//
// An editor form (form[data-unsaved-guard]) counts as changed when what it would send differs
// from what it held when it arrived, once the editor scripts had set it up: typing a value and
// typing it back leaves nothing to warn about, and a row added and left blank (or removed
// again) does not count. A form the server sends back filled with what was typed (data-unsaved:
// errors, a conflict, a merge to review) is compared with the form as it was before that save;
// with nothing to compare it to, it counts as changed.
//
// - Leaving the page (a link, a reload, closing the tab): the browser's own "Leave site?".
// - An htmx request that would replace the form (the editor tabs): a confirm before it starts.
// - Back or Forward between editors opened in place: the same confirm.
// Saving, "Keep mine" and "Take theirs" ([data-discard-changes]) never warn.
(function () {
  "use strict";

  var LEAVE = "Your changes on this page aren't saved yet. Leave without saving them?";
  // The test call panel's fields ("call-…") ride along with the form but are not the editor's.
  var SKIPPED = /^(csrfmiddlewaretoken|fingerprint|call-.*)$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;
  var NOT_VALUES = /^(submit|button|reset|image|file)$/;
  var tracked = new WeakMap();  // form → {seen, loaded, unsaved}
  var carried = null;  // the loaded state of a form being saved, for the form sent back
  var leaving = false;
  var here = location.href;

  function guardedForms() {
    return Array.prototype.slice.call(document.querySelectorAll("form[data-unsaved-guard]"));
  }

  function untouched(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked === el.defaultChecked;
    if (el.tagName === "SELECT") {
      return Array.prototype.every.call(el.options, function (o) { return o.selected === o.defaultSelected; });
    }
    return el.value === el.defaultValue;
  }

  // Part of a row added since the form arrived, and removed again or still as it came.
  function addedAndUnused(el, seen) {
    if (seen.has(el)) return false;
    var row = el.closest("[data-formset-row]");
    var removed = row && row.querySelector('input[name$="-DELETE"]');
    return (removed && removed.checked) || untouched(el);
  }

  // What the form would send (less the CSRF token, the fingerprint and formset counts).
  function state(form, seen) {
    var parts = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || SKIPPED.test(el.name) || NOT_VALUES.test(el.type)) return;
      if (seen && addedAndUnused(el, seen)) return;
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) parts.push([el.name, el.value]);
      } else if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { parts.push([el.name, o.value]); });
      } else {
        parts.push([el.name, el.value]);
      }
    });
    return JSON.stringify(parts.sort());
  }

  function isChanged(form) {
    var info = tracked.get(form);
    return Boolean(info) && (info.unsaved || state(form, info.seen) !== info.loaded);
  }

  function changedForms() { return guardedForms().filter(isChanged); }

  // "Unsaved changes" in the save bar while the form differs from what was loaded.
  function showStatus(form) {
    var status = form.querySelector("[data-save-status]");
    if (!status) return;
    var changed = isChanged(form);
    if (changed === status.hasAttribute("data-changed")) return;
    status.toggleAttribute("data-changed", changed);
    if (changed) {
      var note = document.createElement("span");
      note.className = "unsaved";
      note.innerHTML = '<i class="bi bi-circle-fill small" aria-hidden="true"></i> Unsaved changes';
      status.replaceChildren(note);
    } else {
      status.replaceChildren();
    }
  }

  function track(form) {
    if (tracked.has(form)) return;
    var info = { seen: new WeakSet(Array.prototype.slice.call(form.elements)), loaded: state(form, null), unsaved: false };
    if (form.hasAttribute("data-unsaved")) {
      if (carried !== null) info.loaded = carried;
      else info.unsaved = true;
    }
    carried = null;
    tracked.set(form, info);
    showStatus(form);
  }

  var scheduled = false;
  function refreshSoon() {
    if (scheduled) return;
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      guardedForms().forEach(showStatus);
    });
  }

  // After the editor scripts (this file is loaded last, so its listener runs last).
  htmx.onLoad(function (root) {
    if (root.matches && root.matches("form[data-unsaved-guard]")) track(root);
    if (root.querySelectorAll) root.querySelectorAll("form[data-unsaved-guard]").forEach(track);
  });
  ["input", "change", "formset:changed"].forEach(function (name) {
    document.addEventListener(name, refreshSoon);
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-discard-changes]")) leaving = true;
    refreshSoon();  // row buttons (remove, reorder) change the form without an input event
  });

  // A save sent back with the form still filled: compare it with the form as loaded before.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var saved = guardedForms().filter(function (form) { return target && target.contains(form); })[0];
    var info = saved && tracked.get(saved);
    carried = info && !info.unsaved ? info.loaded : null;
  });

  // An htmx request that would replace a changed form, made from outside it (a tab, a link).
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt, target = event.detail.target;
    if (!target || (elt.closest && elt.closest("[data-discard-changes]"))) return;
    var lost = changedForms().filter(function (form) { return target.contains(form) && !form.contains(elt); });
    if (!lost.length) return;
    event.preventDefault();
    if (window.confirm(LEAVE)) event.detail.issueRequest(true);
  });

  // Back/Forward between editors opened in place: htmx would swap the page without asking.
  // Capture on the window runs before htmx's own onpopstate; on "Stay", the address goes back.
  window.addEventListener("popstate", function (event) {
    if (!changedForms().length || window.confirm(LEAVE)) { here = location.href; return; }
    event.stopImmediatePropagation();
    history.pushState({ htmx: true }, "", here);
  }, true);
  document.addEventListener("htmx:pushedIntoHistory", function () { here = location.href; });

  window.addEventListener("beforeunload", function (event) {
    if (leaving || !changedForms().length) return;
    event.preventDefault();
    event.returnValue = "";  // Chromium still wants it set to show the dialog
  });
  // An editor sent without htmx is saving, not leaving.
  window.addEventListener("submit", function (event) {
    if (!event.defaultPrevented && event.target.matches && event.target.matches("form[data-unsaved-guard]")) leaving = true;
  });
  window.addEventListener("pageshow", function () { leaving = false; });

})();
