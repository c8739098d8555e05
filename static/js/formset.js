// Editable lists of rows (Django formsets): "add" clones the empty row and renumbers the prefix.
document.querySelectorAll("[data-formset]").forEach((formset) => {
  const prefix = formset.dataset.formset;
  const total = formset.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const rows = formset.querySelector("[data-formset-rows]");
  const template = formset.querySelector("template[data-formset-template]");
  formset.querySelector("[data-formset-add]").addEventListener("click", () => {
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const row = rows.lastElementChild;
    row.querySelector("[data-formset-number]").textContent = String(index + 1);
    row.querySelector("input:not([type=hidden]), select, textarea")?.focus();
    formset.dispatchEvent(new Event("input", { bubbles: true }));
  });
});
