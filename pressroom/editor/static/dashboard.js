// Dashboard: documents × languages, each cell a catalog's progress.
import { api, el, setCrumbs, watchSiteStatus } from "./common.js";

const KINDS = { analysis: "Analysis", author: "Author page", ui: "Interface" };

function bar(counts) {
  const total = counts.total || 1;
  const part = (name, n) => {
    const span = el("span", { class: `seg ${name}`, title: `${n} ${name}` });
    span.style.flexGrow = String(n / total);
    return span;
  };
  return el("div", { class: "bar", role: "img", "aria-label": `${counts.translated} of ${counts.total} translated` },
    part("translated", counts.translated), part("fuzzy", counts.fuzzy), part("untranslated", counts.untranslated),
    part("failing", counts.failing));
}

function cell(catalog) {
  if (catalog.error) {
    return el("a", { class: "cell broken", href: catalog.url }, el("strong", { text: "Cannot be read" }),
      el("span", { class: "small", text: catalog.error }));
  }
  const link = (filter, text, cls) => el("a", { class: `count ${cls}`, href: `${catalog.url}?filter=${filter}`, text });
  return el("div", { class: "cell" },
    el("a", { class: "cell-main", href: catalog.url, title: catalog.path },
      el("span", { class: "pct", text: `${catalog.percent}%` }), bar(catalog)),
    el("div", { class: "counts" },
      el("span", { class: "count translated", text: `${catalog.translated} translated` }),
      catalog.fuzzy ? link("fuzzy", `${catalog.fuzzy} fuzzy`, "fuzzy") : null,
      catalog.untranslated ? link("untranslated", `${catalog.untranslated} untranslated`, "untranslated") : null,
      catalog.failing ? link("failing", `${catalog.failing} failing`, "failing") : null,
      catalog.findings ? link("checks", `${catalog.findings} with findings`, "findings") : null,
    ));
}

async function main() {
  setCrumbs({ text: "Translations" });
  watchSiteStatus();
  const app = document.getElementById("app");
  let data;
  try {
    data = await api("GET", "/edit/api/catalogs");
  } catch (err) {
    app.replaceChildren(el("p", { class: "banner error", text: err.message }));
    return;
  }
  const langs = data.languages;
  const sources = new Set(data.documents.map((d) => d.source_lang));
  const head = el("tr", {}, el("th", { scope: "col", text: "Document" }),
    ...langs.map((l) => el("th", { scope: "col", lang: l.code, text: l.name,
      class: sources.has(l.code) && data.documents.every((d) => d.source_lang === l.code) ? "source-col" : null })));
  const rows = data.documents.map((doc) => el("tr", { class: `kind-${doc.kind}` },
    el("th", { scope: "row" },
      el("span", { class: "kind", text: KINDS[doc.kind] }),
      el("span", { class: "title", text: doc.title }),
      el("code", { class: "domain", text: doc.domain })),
    ...langs.map((l) => {
      if (doc.source_lang === l.code) {
        return el("td", { class: "source-cell", "data-label": l.name }, el("span", { text: "Source" }));
      }
      const catalog = doc.catalogs[l.code];
      return el("td", { "data-label": l.name }, catalog ? cell(catalog) : el("span", { class: "muted", text: "—" }));
    })));
  const totals = { translated: 0, fuzzy: 0, untranslated: 0, failing: 0, findings: 0 };
  for (const doc of data.documents) {
    for (const c of Object.values(doc.catalogs)) for (const k in totals) totals[k] += c[k] || 0;
  }
  app.replaceChildren(
    el("section", { class: "dash-head" },
      el("h1", { text: "Translations" }),
      el("p", { class: "lede", text: "Every document and its catalog in each language. Open a cell to translate; "
        + "the site is rebuilt as catalogs change." }),
      el("p", { class: "totals" },
        el("span", { class: "count translated", text: `${totals.translated} translated` }),
        el("span", { class: "count fuzzy", text: `${totals.fuzzy} fuzzy` }),
        el("span", { class: "count untranslated", text: `${totals.untranslated} untranslated` }),
        el("span", { class: "count failing", title: "translated, but a check keeps it from being published",
          text: `${totals.failing} failing` }),
        el("span", { class: "count findings", text: `${totals.findings} with findings` }))),
    el("table", { class: "matrix" }, el("thead", {}, head), el("tbody", {}, rows)));
}

main();
