// The report's status page follows the rendering without a reload: it asks every two seconds
// until the report is ready or has failed.
document.querySelectorAll("[data-report-status]").forEach((card) => {
  const url = card.dataset.reportStatus;
  const label = card.querySelector("[data-status-label]");
  const waiting = card.querySelector("[data-status-waiting]");
  const reason = card.querySelector("[data-status-reason]");
  const download = card.querySelector("[data-status-download]");
  const poll = async () => {
    let state;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      state = await response.json();
    } catch {
      setTimeout(poll, 5000);
      return;
    }
    const badge = document.createElement("span");
    badge.className = `badge ${state.status === "done" ? "text-bg-success" : state.status === "failed" ? "text-bg-danger" : "text-bg-secondary"}`;
    badge.textContent = state.label.charAt(0).toUpperCase() + state.label.slice(1);
    label.replaceChildren(badge);
    if (!state.finished) {
      setTimeout(poll, 2000);
      return;
    }
    waiting.hidden = true;
    if (state.status === "failed") {
      reason.querySelector("[data-status-reason-text]").textContent = state.reason;
      reason.hidden = false;
    } else {
      download.href = state.download_url;
      download.hidden = false;
    }
  };
  if (!waiting.hidden) setTimeout(poll, 1000);
});
