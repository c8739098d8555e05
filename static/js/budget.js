// The budget's running total while editing; the server checks it again on saving.
document.querySelectorAll("form[data-budget]").forEach((form) => {
  const grantCents = Math.round(Number(form.dataset.grant) * 100);
  const totalOut = form.querySelector("[data-budget-total]");
  const leftOut = form.querySelector("[data-budget-left]");
  const overOut = form.querySelector("[data-budget-over]");
  const format = (cents) =>
    (cents / 100).toLocaleString(document.documentElement.lang, {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });

  const update = () => {
    let cents = 0;
    form.querySelectorAll(".formset-row").forEach((row) => {
      const removed = row.querySelector('input[type=checkbox][name$="-DELETE"]');
      const amount = row.querySelector('input[name$="-amount"]');
      if (!amount || (removed && removed.checked)) return;
      const value = Number(amount.value.replace(",", "."));
      if (Number.isFinite(value)) cents += Math.round(value * 100);
    });
    totalOut.textContent = format(cents);
    leftOut.textContent = format(grantCents - cents);
    overOut.hidden = cents <= grantCents;
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
});
