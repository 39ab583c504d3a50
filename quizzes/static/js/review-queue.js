// The review queue's keys (shown on the page): p publish, r retire, e edit,
// s or j skip, k or Backspace back, u (or Ctrl+Z) undo; in the edit form Enter (in a
// one-line field or the prompt) or Ctrl+Enter saves and Escape cancels.
// Every control is a real button or link that works without this script;
// this adds the keys, sends every form and link of the queue through htmx
// (never natively, even in the 20 ms before htmx has processed a swapped-in
// card), drops keys while a request is out (one decision per draft however
// keys are mashed) and moves focus to the new card after a swap.
(function () {
  "use strict";

  const KEYS = { p: "p", r: "r", e: "e", s: "j", j: "j", k: "k", Backspace: "k", u: "u" };
  let busy = false;

  const area = () => document.getElementById("review-area");

  function typing(target) {
    return (
      target.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)
    );
  }

  function go(control) {
    if (busy || !window.htmx) return;
    const swap = { target: "#review-area", swap: "outerHTML" };
    if (control.tagName === "A") {
      window.htmx.ajax("GET", control.getAttribute("href"), { source: control, ...swap });
      return;
    }
    const form = control.tagName === "FORM" ? control : control.form;
    const values = {};
    if (control.name) values[control.name] = control.value;
    window.htmx.ajax("POST", form.action, { source: form, values: values, ...swap });
  }

  document.addEventListener(
    "submit",
    function (event) {
      const form = event.target;
      if (!window.htmx || !form.closest("#review-area")) return;
      event.preventDefault();
      event.stopImmediatePropagation(); // htmx's own handler would send it again
      go(event.submitter || form);
    },
    true,
  );

  document.addEventListener(
    "click",
    function (event) {
      const link = event.target.closest && event.target.closest("#review-area a[hx-get]");
      if (!link || !window.htmx || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      go(link);
    },
    true,
  );

  // The edit form's keys: Escape cancels wherever the focus is; Enter in a
  // one-line field (the browser submits) or the prompt, or Ctrl+Enter in any
  // of its fields, saves.
  function editKeys(event, form) {
    if (event.key === "Escape") {
      event.preventDefault();
      go(form.querySelector("[data-cancel]"));
      return true;
    }
    if (event.key !== "Enter" || !form.contains(event.target)) return false;
    const saves =
      event.ctrlKey ||
      event.metaKey ||
      (event.target.tagName === "TEXTAREA" &&
        !event.shiftKey &&
        event.target.hasAttribute("data-enter-saves"));
    if (!saves) return false;
    event.preventDefault();
    if (!event.repeat) go(form);
    return true;
  }

  document.addEventListener("keydown", function (event) {
    const root = area();
    if (!window.htmx || !root || event.altKey) return;
    const form = root.querySelector("[data-edit-form]");
    if (form && editKeys(event, form)) return;
    if (typing(event.target)) return;
    let key = KEYS[event.key];
    if (event.ctrlKey || event.metaKey) {
      // Ctrl+Z undoes too, as on the study page.
      key = event.key.toLowerCase() === "z" && !event.shiftKey ? "u" : null;
    }
    if (!key) return;
    const control = root.querySelector(`[data-key="${key}"]`);
    if (!control) return;
    event.preventDefault();
    if (!event.repeat) go(control);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    if (elt.closest && elt.closest("#review-area")) busy = true;
  });

  document.addEventListener("htmx:afterRequest", function () {
    busy = false;
  });

  // A refused edit (422) or a stale undo (409) carries its message inside
  // the area: show it (htmx skips 4xx answers by default).
  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    const status = event.detail.xhr.status;
    if ([400, 409, 422].includes(status) && target && target.id === "review-area") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function focusNew() {
    const root = area();
    if (!root) return;
    const focus =
      root.querySelector("[data-edit-form] [aria-invalid]") ||
      root.querySelector("[data-autofocus]");
    if (!focus) return;
    focus.focus({ preventScroll: true });
    if (focus.tagName === "TEXTAREA") {
      focus.setSelectionRange(focus.value.length, focus.value.length);
    }
    const card = document.getElementById("rq-card") || root;
    if (card.getBoundingClientRect().top < 0) card.scrollIntoView({ block: "start" });
  }

  document.addEventListener("htmx:afterSwap", focusNew);
  document.addEventListener("DOMContentLoaded", focusNew);
})();
