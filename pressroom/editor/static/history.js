// An entry's earlier translations (from git, or the editor's own journal of saves),
// each with its date and, for git, its commit; "Restore" puts one in the box, where
// it stays unsaved until the translator saves it.
import { api, el } from "./common.js";

function when(iso) {
  if (!iso) return "before the editor's first save";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

// The "History" toggle of ``entry`` (an Entry of catalog.js), loaded when opened.
export function historyPanel(entry, api_base) {
  const list = el("ol", { class: "history-versions" });
  const status = el("p", { class: "history-status muted", role: "status" });
  const panel = el("details", { class: "history" }, el("summary", { text: "History" }), status, list);
  panel.addEventListener("toggle", async () => {
    if (!panel.open) return;
    status.textContent = "Loading…";
    list.replaceChildren();
    let data;
    try {
      data = await api("GET", `${api_base}/entries/${entry.key}/history`);
    } catch (err) {
      status.textContent = `History: ${err.message}`;
      return;
    }
    const from = { git: "from the catalog's git history", journal: "from the editor's saves", none: "" }[data.source];
    status.textContent = data.versions.length ? `${data.versions.length} version(s), newest first, ${from}`
      : "No earlier translation is known.";
    list.replaceChildren(...data.versions.map((v) => el("li", { class: "history-version", dataset: { source: v.source } },
      el("div", { class: "history-meta" },
        el("time", { datetime: v.date || null, text: when(v.date) }),
        v.commit ? el("code", { class: "commit", text: v.commit }) : null,
        el("span", { class: "subject", text: v.source === "git" ? v.subject : "saved in the editor" }),
        v.fuzzy ? el("span", { class: "tag fuzzy", text: "fuzzy" }) : null,
        v.reviewed ? el("span", { class: "tag reviewed", text: "reviewed" }) : null,
        v.current ? el("span", { class: "tag current", text: "current" })
          : v.same ? el("span", { class: "tag same", text: "same as now" }) : null),
      el("p", { class: "history-text", lang: entry.textarea.lang, text: v.msgstr }),
      el("button", { type: "button", class: "restore", disabled: !entry.data.editable || v.same,
        text: "Restore", onclick: () => restore(entry, v) }))));
    // Opened near the bottom of the screen (a phone's, mostly), the versions would
    // unfold out of sight: scroll just enough to show the newest.
    if (panel.open) (list.firstElementChild || status).scrollIntoView({ block: "nearest" });
  });
  return panel;
}

function restore(entry, version) {
  entry.replaceText(version.msgstr);
  entry.setStatus("dirty", `Restored the version of ${when(version.date)}: not saved until you save`);
}
