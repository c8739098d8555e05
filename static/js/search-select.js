// Choosing among long lists (turvaportaal.lib.widgets.SearchSelect): the page holds only the
// chosen rows; typing asks the server for rows by name, and a found row is added as a checked
// box. A single choice keeps one box.
document.querySelectorAll("[data-search-select]").forEach((widget) => {
  const url = widget.dataset.searchSelect;
  const name = widget.dataset.name;
  const multiple = "multiple" in widget.dataset;
  const input = widget.querySelector("[data-search-input]");
  const chosen = widget.querySelector("[data-search-chosen]");
  const status = widget.querySelector("[data-search-status]");
  const results = widget.querySelector("[data-search-results]");
  let asked = 0;
  let timer;

  const choose = (id, label) => {
    const boxId = `${input.id}_${id}`;
    const existing = document.getElementById(boxId);
    if (!multiple) chosen.replaceChildren();
    if (existing && multiple) {
      existing.checked = true;
    } else {
      const row = document.createElement("div");
      row.className = "form-check";
      const box = document.createElement("input");
      Object.assign(box, { type: "checkbox", name, value: id, id: boxId, checked: true });
      box.className = "form-check-input";
      const text = document.createElement("label");
      Object.assign(text, { htmlFor: boxId, textContent: label });
      text.className = "form-check-label";
      row.append(box, text);
      chosen.append(row);
    }
    input.value = "";
    results.replaceChildren();
    status.textContent = "";
    input.focus();
  };

  // A single choice: checking one box unchecks the other.
  chosen.addEventListener("change", (event) => {
    if (multiple || !event.target.checked) return;
    chosen.querySelectorAll("input").forEach((box) => {
      if (box !== event.target) box.checked = false;
    });
  });

  const search = async () => {
    const text = input.value.trim();
    const number = ++asked;
    if (text.length < 2) {
      results.replaceChildren();
      status.textContent = "";
      return;
    }
    let found;
    try {
      const response = await fetch(`${url}?${new URLSearchParams({ q: text })}`, {
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      found = await response.json();
    } catch {
      return;
    }
    if (number !== asked) return; // an answer to an earlier text
    results.replaceChildren(
      ...found.results.map(({ id, label }) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "list-group-item list-group-item-action";
        button.textContent = label;
        button.addEventListener("click", () => choose(String(id), label));
        return button;
      }),
    );
    status.textContent = !found.results.length
      ? status.dataset.none
      : found.more
        ? status.dataset.more
        : status.dataset.found;
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  // Enter in the search box takes the first row found rather than sending the form.
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const first = results.querySelector("button");
    if (first) first.click();
  });
});
