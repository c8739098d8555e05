// A refused form opens with its error summary (templates/includes/error_summary.html): the focus
// goes there, so a screen reader reads it first; a link in it moves the focus to its field and
// scrolls the field's label into view with it.
document.querySelector("[data-error-summary]")?.focus();
document.querySelectorAll("[data-error-summary]").forEach((summary) => {
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    (field.labels?.[0] ?? field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
