// Search across every catalog of one language (the dashboard's search box), and the
// entry a result links to (``#entry-<key>`` on a catalog's page).
//
// Results are plain text from the catalogs: they are put in the page as text nodes,
// the matches wrapped in <mark> elements built with the DOM, never parsed as HTML.
import { api, el } from "./common.js";

const KINDS = { analysis: "Analysis", author: "Author page", ui: "Interface" };
const STATES = { translated: "Translated", fuzzy: "Fuzzy", untranslated: "Untranslated", missing: "Not in catalog" };

// The entry key a catalog page's address points at (``#entry-<key>``), or null.
export function entryFromHash() {
  const found = /^#entry-([0-9a-f]{12})$/.exec(location.hash);
  return found ? found[1] : null;
}

// ``text`` as nodes, each case-insensitive occurrence of ``query`` in a <mark>.
function highlighted(text, query, lang) {
  const lower = (s) => s.toLocaleLowerCase(lang);
  const haystack = lower(text);
  const needle = lower(query);
  const parts = [];
  let done = 0;
  if (needle && haystack.length === text.length) {
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) {
      if (at > done) parts.push(text.slice(done, at));
      parts.push(el("mark", { text: text.slice(at, at + needle.length) }));
      done = at + needle.length;
    }
  }
  if (done < text.length) parts.push(text.slice(done));
  return parts;
}

function result(r, query, lang, sourceLang) {
  return el("li", { class: "search-result", dataset: { state: r.state } },
    el("a", { class: "search-link", href: r.url },
      el("span", { class: "search-where" },
        el("span", { class: "kind", text: KINDS[r.kind] }), " ",
        el("strong", { text: r.title }), " ",
        el("span", { class: "muted", text: `#${r.number}${r.line ? ` · PO line ${r.line}` : ""}` }), " ",
        el("span", { class: "badge state", dataset: { state: r.state, reviewed: String(r.reviewed) },
          text: r.reviewed ? "Reviewed" : STATES[r.state] })),
      el("span", { class: "search-source", lang: sourceLang }, highlighted(r.source, query, sourceLang)),
      r.translation ? el("span", { class: "search-translation", lang }, highlighted(r.translation, query, lang))
        : null));
}

// The dashboard's search: a language, a text, and the entries holding it.
export function searchPanel(languages, sourceLangs) {
  const params = new URLSearchParams(location.search);
  const targets = languages.filter((l) => !sourceLangs.every((s) => s === l.code));
  const choices = targets.length ? targets : languages;
  const select = el("select", { class: "search-lang", "aria-label": "Language" },
    choices.map((l) => el("option", { value: l.code, text: l.name, selected: l.code === params.get("lang") })));
  const input = el("input", { type: "search", class: "search-all", name: "q", value: params.get("q") || "",
    placeholder: "Search every catalog", "aria-label": "Search the sources and translations of every catalog" });
  const status = el("p", { class: "search-status muted", role: "status", "aria-live": "polite" });
  const list = el("ol", { class: "search-results" });
  let seq = 0;

  async function run() {
    const query = input.value.trim();
    const lang = select.value;
    const url = new URL(location.href);
    query ? url.searchParams.set("q", query) : url.searchParams.delete("q");
    url.searchParams.set("lang", lang);
    history.replaceState(null, "", url);
    const mine = ++seq;
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    try {
      const data = await api("GET", `/edit/api/search/${encodeURIComponent(lang)}?q=${encodeURIComponent(query)}`);
      if (mine !== seq) return;
      list.replaceChildren(...data.results.map((r) => result(r, data.query, lang, r.source_lang)));
      const n = data.results.length;
      status.textContent = n === 0 ? `Nothing in ${select.selectedOptions[0].text} holds “${data.query}”.`
        : `${n}${data.more ? "+" : ""} ${n === 1 ? "entry" : "entries"}${data.more ? " (the first shown)" : ""}`;
    } catch (err) {
      if (mine === seq) status.textContent = `Search failed: ${err.message}`;
    }
  }

  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(run, 200); };
  input.addEventListener("input", later);
  select.addEventListener("change", run);
  const form = el("form", { class: "search-form", role: "search", onsubmit: (event) => { event.preventDefault(); run(); } },
    select, input, el("button", { type: "submit", text: "Search" }));
  if (input.value) run();
  return el("section", { class: "search-panel", "aria-label": "Search across catalogs" }, form, status, list);
}
