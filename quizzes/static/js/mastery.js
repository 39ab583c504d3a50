// The claim mastery map. It works without this: a cell is a link to its
// evidence page, and the goal form posts the ticked rows and columns and the
// mark. This opens a cell's evidence in a dialog (fetched over htmx), and
// outlines the cells the goal form would pick, with their count, as the
// teacher ticks and types.
(function () {
  "use strict";

  const dialog = () => document.getElementById("evidence-dialog");

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "evidence") return;
    const box = dialog();
    if (!box.open) box.showModal();
    const title = document.getElementById("evidence-title");
    if (title) title.focus({ preventScroll: true });
  });

  // A cell's link fetches its evidence into the dialog. (hx-boost would do
  // it without code, but a boosted link always pushes its URL to history.)
  document.addEventListener("click", function (event) {
    const link = event.target.closest(".mastery td a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button) {
      return;
    }
    event.preventDefault();
    window.htmx.ajax("GET", link.href, { target: "#evidence", swap: "innerHTML" });
  });

  document.addEventListener("click", function (event) {
    const close = event.target.closest("[data-close]");
    if (close) {
      event.preventDefault();
      dialog().close();
    } else if (event.target === dialog()) {
      dialog().close(); // a click on the backdrop
    }
  });

  function mark(cell) {
    const text = cell.textContent.trim();
    return /^\d+$/.test(text) ? Number(text) : null;
  }

  // The same rule as MasteryMap.select: a ticked row's cells, a ticked
  // column's cells, and the cells under the mark (or without evidence).
  function outline() {
    const form = document.getElementById("goal-form");
    if (!form) return;
    const columns = Array.from(form.querySelectorAll("input[name=student]"));
    const ticked = columns.map((box) => box.checked);
    const below = form.elements.below.value ? Number(form.elements.below.value) : null;
    const empty = form.elements.empty.checked;
    const students = new Set();
    const claims = new Set();
    let picked = 0;
    form.querySelectorAll("tbody tr").forEach(function (row) {
      const claim = row.querySelector("input[name=claim]");
      if (!claim) return; // a section's row
      row.querySelectorAll("td:not(.class-col)").forEach(function (cell, i) {
        const value = mark(cell);
        const weak = below !== null && (value === null ? empty : value < below);
        const on = claim.checked || ticked[i] || weak;
        cell.classList.toggle("picked", on);
        if (on) {
          picked += 1;
          students.add(i);
          claims.add(claim.value);
        }
      });
    });
    const output = document.getElementById("picked");
    output.textContent = picked
      ? `${picked} cell${picked === 1 ? "" : "s"} picked: ` +
        `${students.size} student${students.size === 1 ? "" : "s"}, ` +
        `${claims.size} sentence${claims.size === 1 ? "" : "s"}.`
      : "No cell picked yet.";
  }

  // One goal per click: a second click while the first is on its way would
  // set the goal twice.
  document.addEventListener("submit", function (event) {
    if (event.target.id !== "goal-form") return;
    const button = event.target.querySelector("button[type=submit]");
    setTimeout(function () {
      button.disabled = true;
    });
  });

  document.addEventListener("change", function (event) {
    if (event.target.closest("#goal-form")) outline();
  });
  document.addEventListener("input", function (event) {
    if (event.target.name === "below") outline();
  });
  document.addEventListener("htmx:afterSettle", outline);
  document.addEventListener("DOMContentLoaded", outline);
})();
