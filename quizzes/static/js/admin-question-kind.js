"use strict";
// The question editor shows only the parts its kind uses. Each option of the
// kind select lists them in data-uses (from quizzes.kinds), named as the form
// names them: an inline by its prefix (its group is #<prefix>-group), a field
// by its name (its row is .field-<name>). Without this script every part
// stays in sight, and saving checks them against the kind all the same.
(() => {
  const words = (text) => (text || "").split(" ").filter(Boolean);

  function partElement(name) {
    return (
      document.getElementById(`${name}-group`) ||
      document.querySelector(`.form-row.field-${name}`)
    );
  }

  // Rows a teacher filled in, or that the last save refused: hiding them
  // would hide why saving fails (parts of another kind are refused).
  function hasRows(element) {
    if (element.querySelector(".errorlist, .errornote")) {
      return true;
    }
    return [...element.querySelectorAll("tr.form-row:not(.empty-form)")].some(
      (row) =>
        !row.querySelector("input[name$='-DELETE']:checked") &&
        [...row.querySelectorAll("input[type='text'], textarea")].some(
          (input) => input.value.trim() !== "",
        ),
    );
  }

  function note(element, text) {
    let found = element.querySelector(".unused-part-note");
    if (!found && text) {
      found = document.createElement("p");
      found.className = "unused-part-note";
      element.querySelector("h2").after(found);
    }
    if (found) {
      found.textContent = text;
      found.hidden = !text;
    }
  }

  function showParts(select) {
    const chosen = select.selectedOptions[0];
    const uses = new Set(words(chosen && chosen.dataset.uses));
    const every = new Set([...select.options].flatMap((o) => words(o.dataset.uses)));
    for (const name of every) {
      const element = partElement(name);
      if (!element) {
        continue;
      }
      const used = uses.has(name);
      const leftover = !used && element.matches(".inline-group") && hasRows(element);
      element.hidden = !used && !leftover;
      note(
        element,
        leftover && chosen.value
          ? `A “${chosen.text}” question uses none of these: delete them.`
          : "",
      );
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const select = document.querySelector("select[data-question-kind]");
    if (select) {
      select.addEventListener("change", () => showParts(select));
      showParts(select);
    }
  });
})();
