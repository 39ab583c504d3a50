"use strict";
// Django's search boxes (autocomplete_fields, drawn by select2) are spans
// with ARIA roles that take no name from the <select>'s label: a screen
// reader would announce a nameless combobox, and a nameless search field once
// it opens. Each gets the field's label, or the select's aria-label in an
// inline row that has no <label>.
(() => {
  function nameElement(select) {
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    const element = label || document.createElement("span");
    if (!label) {
      element.hidden = true;
      element.textContent = select.getAttribute("aria-label") || select.name;
      select.after(element);
    }
    element.id ||= `${select.id || select.name}-name`;
    return element;
  }

  function nameSearchBoxes() {
    for (const select of document.querySelectorAll("select.admin-autocomplete")) {
      const box = select.parentElement.querySelector(
        `.select2-selection[aria-labelledby="select2-${select.id}-container"]`,
      );
      if (!box || box.dataset.name) {
        continue;
      }
      const name = nameElement(select);
      const shown = box.querySelector(".select2-selection__rendered");
      box.setAttribute("aria-labelledby", `${name.id} ${shown.id}`);
      // An open combobox must name its list; select2 only says aria-owns.
      box.setAttribute("aria-controls", `select2-${select.id}-results`);
      shown.setAttribute("aria-labelledby", name.id);
      box.dataset.name = name.textContent.trim().replace(/:$/, "");
    }
    const open = document.querySelector(".select2-selection[aria-expanded='true']");
    const field = document.querySelector(".select2-container--open .select2-search__field");
    if (open && field && open.dataset.name) {
      field.setAttribute("aria-label", `Search: ${open.dataset.name}`);
    }
  }

  // select2 draws its boxes after the page is ready, again for each row added
  // to an inline, and its list each time one opens: name them on each change.
  document.addEventListener("DOMContentLoaded", () => {
    nameSearchBoxes();
    new MutationObserver(nameSearchBoxes).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
