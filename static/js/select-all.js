// A list's "select all on this page" box (data-select-all names the row boxes it sets): shown only where this
// script runs; without JavaScript each row is checked by hand.
document.querySelectorAll("[data-select-all]").forEach((all) => {
  const form = all.closest("form") || document;
  const boxes = () => form.querySelectorAll(`input[type="checkbox"][name="${all.dataset.selectAll}"]`);
  if (!boxes().length) {
    return;
  }
  all.classList.remove("d-none");
  all.previousElementSibling?.remove();
  all.addEventListener("change", () => {
    boxes().forEach((box) => {
      box.checked = all.checked;
    });
  });
  form.addEventListener("change", (event) => {
    if (event.target !== all && event.target.name === all.dataset.selectAll) {
      const list = [...boxes()];
      all.checked = list.every((box) => box.checked);
      all.indeterminate = !all.checked && list.some((box) => box.checked);
    }
  });
});
