"use strict";
// Django's search boxes (autocomplete_fields, drawn by select2) are spans
// with ARIA roles that take no name from the <select>'s label: a screen
// reader would announce a nameless combobox. Each gets the field's label, or
// the select's aria-label in an inline row that has no <label>.
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
    return element.id;
  }

  function nameSearchBoxes() {
    for (const select of document.querySelectorAll("select.admin-autocomplete")) {
      const box = select.parentElement.querySelector(
        `.select2-selection[aria-labelledby="select2-${select.id}-container"]`,
      );
      if (!box || box.dataset.named) {
        continue;
      }
      const name = nameElement(select);
      const shown = box.querySelector(".select2-selection__rendered");
      box.setAttribute("aria-labelledby", `${name} ${shown.id}`);
      shown.setAttribute("aria-labelledby", name);
      box.dataset.named = "true";
    }
  }

  // select2 draws its boxes after the page is ready, and again for each row
  // added to an inline: name them whenever the page changes.
  document.addEventListener("DOMContentLoaded", () => {
    nameSearchBoxes();
    new MutationObserver(nameSearchBoxes).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
