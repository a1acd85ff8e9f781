// One catalog: its entries in source order, each editable, and the page it publishes.
//
// Saving sends the entry as it was read ("base"): the server refuses (409) if the file
// has changed it since, and the page then shows both versions. A failed save keeps
// the text in the box. Checks run as the translator types (debounced), and the
// preview shows the typed text in place before it is saved. A translation that a
// check keeps from being published (a finding that "blocks") is saved only once the
// translator confirms it, and is then shown as failing, as `stats` counts it.
import { api, ApiError, el, rendered, setCrumbs, watchSiteStatus } from "./common.js";
import { confirmFailing, KEYS, keyLabel, keysHelp, matchKey } from "./keys.js";

const LANG = document.body.dataset.lang;
const DOMAIN = document.body.dataset.domain;
const API = `/edit/api/catalogs/${LANG}/${DOMAIN}`;
const STATES = { translated: "Translated", fuzzy: "Fuzzy", untranslated: "Untranslated", failing: "Failing",
  missing: "Not in catalog" };
const FILTERS = [
  ["all", "All"], ["untranslated", "Untranslated"], ["fuzzy", "Fuzzy"], ["failing", "Failing"],
  ["checks", "With findings"],
];
const STAMP = "machine translation:";
// A source this long (characters or lines) shows rendered only; its Markdown and the
// rendered translation fold away, so the entry fits on a screen.
const LONG_CHARS = 400;
const LONG_LINES = 6;

let catalog = null;
const entries = new Map();
let order = [];
let current = null;
let preview = null;
const params = new URLSearchParams(location.search);
let filter = FILTERS.some(([name]) => name === params.get("filter")) ? params.get("filter") : "all";
let query = params.get("q") || "";

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// Grow the box with its text. Setting the height to "auto" shortens the page for a
// moment, which makes the browser clamp the scroll position: it is put back, so the
// page does not jump while the translator types.
function autosize(textarea) {
  const pane = document.querySelector(".editor-pane");
  const x = window.scrollX, y = window.scrollY, paneTop = pane ? pane.scrollTop : 0;
  textarea.style.height = "auto";
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
  if (pane && pane.scrollTop !== paneTop) pane.scrollTop = paneTop;
  if (window.scrollY !== y || window.scrollX !== x) window.scrollTo(x, y);
}

function isLong(text) {
  return text.length > LONG_CHARS || text.split("\n").length > LONG_LINES;
}

// Whether Markdown ``text`` renders as more than its own characters.
function hasMarkup(html, text) {
  const plain = document.createElement("div");
  plain.textContent = text;
  return html.replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"') !== plain.innerHTML.replace(/&quot;/g, '"');
}

class Entry {
  constructor(data, number) {
    this.data = data;
    this.number = number;
    this.base = data.base;
    this.draftHtml = null;
    this.checkSeq = 0;
    this.build();
    this.show(data);
  }

  get key() { return this.data.key; }

  build() {
    const d = this.data;
    const id = `t-${d.key}`;
    this.textarea = el("textarea", {
      id, class: "translation", lang: LANG, dir: "auto", spellcheck: "true", rows: "1",
      "aria-label": `Translation of entry ${this.number}`,
      oninput: () => this.edited(true), onfocus: () => setCurrent(this),
    });
    this.fuzzy = el("input", { type: "checkbox", class: "fuzzy", onchange: () => this.edited(false) });
    this.comment = el("textarea", { class: "comment-box", rows: "2", "aria-label": "Translator comment",
      oninput: () => this.edited(false), onfocus: () => setCurrent(this) });
    this.commentBox = el("details", { class: "comment" }, el("summary", { text: "Translator comment" }), this.comment);
    this.status = el("span", { class: "entry-status", role: "status", "aria-live": "polite" });
    this.badge = el("span", { class: "badge state" });
    this.findings = el("ul", { class: "findings", "aria-live": "polite" });
    this.targetHtml = el("div", { class: "md rendered-translation", lang: LANG });
    this.conflict = el("div", { class: "conflict", hidden: true, role: "alert" });
    this.memory = el("section", { class: "memory", hidden: true, "aria-label": "Translation memory" });
    this.memoryMatches = null;
    this.saveButton = el("button", { type: "button", class: "primary save", onclick: () => this.saveAndNext(),
      title: `Save and go to the next entry that needs work (${keyLabel(KEYS.save)})`,
      "aria-keyshortcuts": KEYS.save.aria }, "Save ", el("kbd", { text: keyLabel(KEYS.save) }));
    this.revertButton = el("button", { type: "button", class: "revert", onclick: () => this.revert(), text: "Revert" });
    this.suggestButton = el("button", { type: "button", class: "suggest", onclick: () => this.suggest(),
      text: "Suggest", title: `Machine draft (${catalog.engine}); it arrives marked fuzzy (${keyLabel(KEYS.suggest)})`,
      "aria-keyshortcuts": KEYS.suggest.aria });
    this.copyButton = el("button", { type: "button", class: "copy", text: "Copy source",
      title: `Put the source text in the box (${keyLabel(KEYS.copy)})`, "aria-keyshortcuts": KEYS.copy.aria,
      onclick: () => this.copySource() });
    this.fuzzy.title = `Needs review (${keyLabel(KEYS.fuzzy)})`;
    this.fuzzy.setAttribute("aria-keyshortcuts", KEYS.fuzzy.aria);
    const where = d.locations.map((l) => l.replace(/^content\/(analyses|authors)\//, "")).join(", ");
    const previous = d.previous ? el("div", { class: "previous" },
      el("span", { class: "label", text: "Source changed since this was translated:" }),
      el("p", { class: "diff" }, d.previous.map(([op, text]) =>
        op === "equal" ? text : el(op === "insert" ? "ins" : "del", { text })))) : null;

    this.terms = el("ul", { class: "terms", "aria-label": "Glossary terms of this entry" });
    const sourceHtml = el("div", { class: "md rendered-source" }, rendered(d.source_html));
    markTerms(sourceHtml, d.terms || []);
    const long = isLong(d.msgid);
    const raw = hasMarkup(d.source_html, d.msgid)
      ? el("pre", { class: "raw", title: "Markdown as written (what the translation box holds)", text: d.msgid }) : null;
    this.targetBox = long ? el("details", { class: "rendered-toggle" },
      el("summary", { text: "Translation as published" }), this.targetHtml) : this.targetHtml;

    this.node = el("article", { class: long ? "entry long" : "entry", id: `entry-${d.key}`, dataset: { key: d.key } },
      el("header", { class: "entry-head" },
        el("span", { class: "entry-num", text: `#${this.number}` }),
        this.badge,
        el("span", { class: "entry-kind", text: d.kinds.join(", ") || "entry" }),
        el("span", { class: "entry-loc", title: d.locations.join("\n"), text: where }),
        d.line ? el("span", { class: "entry-line", title: catalog.path, text: `PO line ${d.line}` }) : null,
        d.msgctxt ? el("span", { class: "entry-ctx", text: `context: ${d.msgctxt}` }) : null,
        this.status),
      el("section", { class: "source", lang: catalog.source_lang },
        el("div", { class: "label", text: `Source · ${catalog.source_lang_name}` }),
        sourceHtml,
        raw && long ? el("details", { class: "raw-toggle" }, el("summary", { text: "Markdown source" }), raw) : raw,
        this.terms,
        previous),
      el("section", { class: "target" },
        el("label", { class: "label", for: id, text: `Translation · ${catalog.lang_name}` }),
        this.textarea,
        this.targetBox,
        el("div", { class: "entry-actions" },
          el("label", { class: "toggle" }, this.fuzzy, " Needs review (fuzzy)"),
          el("span", { class: "spacer" }),
          this.suggestButton, this.copyButton, this.revertButton, this.saveButton),
        this.memory,
        this.commentBox,
        this.findings,
        this.conflict,
        d.note ? el("p", { class: "note", text: d.note }) : null));
    this.node.addEventListener("focusin", () => setCurrent(this));
    this.node.addEventListener("click", () => setCurrent(this, false));
    if (!d.editable) {
      for (const input of [this.textarea, this.comment]) input.readOnly = true;
      for (const input of [this.fuzzy, this.saveButton, this.suggestButton, this.copyButton]) input.disabled = true;
    }
  }

  // Show the saved state ``data`` (after loading, saving or a change on disk).
  show(data) {
    this.data = data;
    this.base = data.base;
    this.textarea.value = data.msgstr;
    this.fuzzy.checked = data.fuzzy;
    this.comment.value = data.comment;
    this.commentBox.open = Boolean(data.comment);
    this.draftHtml = null;
    this.checked = { msgstr: data.msgstr, findings: data.findings };
    this.renderFindings(data.findings);
    this.renderTerms(data.terms || []);
    this.showRendered(data.translation_html, data.msgstr);
    this.setDirty(false);
    this.node.dataset.state = data.state;
    this.badge.textContent = STATES[data.state];
    this.badge.dataset.state = data.state;
    requestAnimationFrame(() => { autosize(this.textarea); autosize(this.comment); });
  }

  get state() { return this.data.state; }
  get hasFindings() { return this.data.findings.length > 0; }
  get needsWork() { return this.state !== "translated" || this.hasFindings; }

  isDirty() {
    return this.textarea.value !== this.data.msgstr || this.fuzzy.checked !== this.data.fuzzy
      || this.comment.value.replace(/\n+$/, "") !== this.data.comment;
  }

  setDirty(dirty) {
    this.dirty = dirty;
    this.node.classList.toggle("dirty", dirty);
    this.saveButton.disabled = !this.data.editable || !dirty;  // nothing to save
    this.revertButton.disabled = !dirty;
    if (dirty) this.setStatus("dirty", "Unsaved changes");
  }

  setStatus(kind, text) {
    this.status.dataset.kind = kind;
    this.status.textContent = text;
  }

  // The translator typed (``text``) or changed the flag or the comment.
  edited(text) {
    if (text && this.fuzzy.checked && !this.programmatic) this.fuzzy.checked = false;  // as Poedit and Weblate do
    this.setDirty(this.isDirty());
    if (!this.dirty) this.setStatus("", "");
    if (text) {
      autosize(this.textarea);
      this.runChecks();
    } else {
      autosize(this.comment);
    }
  }

  runChecks = debounce(async () => {
    const seq = ++this.checkSeq;
    const msgstr = this.textarea.value;
    try {
      const result = await api("POST", `${API}/entries/${this.key}/check`, { msgstr });
      if (seq !== this.checkSeq) return;
      this.checked = { msgstr, findings: result.findings };
      this.renderFindings(result.findings);
      this.renderTerms(result.terms || []);
      this.showRendered(result.html, msgstr);
      this.draftHtml = msgstr ? result.html : this.data.source_html;
      if (preview) preview.draft(this);
    } catch (err) {
      if (seq === this.checkSeq) this.renderFindings([{ severity: "error", check: "editor", message: err.message }]);
    }
  }, 250);

  // The translation as the page shows it, when that differs from the text typed.
  showRendered(html, text) {
    const shown = hasMarkup(html, text);
    this.targetHtml.replaceChildren(shown ? rendered(html) : "");
    if (this.targetBox !== this.targetHtml) this.targetBox.hidden = !shown;
  }

  // The glossary's terms of the source, each with its approved translation and
  // whether the translation uses it.
  renderTerms(terms) {
    this.terms.replaceChildren(...terms.map((t) => el("li", { class: "term", dataset: { used: t.used ? "yes" : "no" } },
      el("mark", { class: "term-source", text: t.source }),
      el("span", { class: "arrow", "aria-hidden": "true", text: "→" }),
      el("span", { class: "term-target", lang: LANG, text: t.target }),
      t.pos ? el("span", { class: "term-pos", text: t.pos }) : null,
      t.note ? el("span", { class: "term-note", text: t.note }) : null,
      el("span", { class: "term-state", text: t.used ? "used" : "not in the translation" }))));
  }

  renderFindings(findings) {
    this.findings.replaceChildren(...findings.map((f) => el("li", { class: f.severity, dataset: { blocks: f.blocks ? "yes" : "no" } },
      el("span", { class: "check", text: f.check }), el("span", { text: f.message }),
      f.blocks ? el("span", { class: "blocks", text: "not published" }) : null)));
    this.node.classList.toggle("has-findings", findings.length > 0);
  }

  // The findings of the text in the box now: those of the last check if it checked
  // this very text, else asked for at once.
  async findingsNow() {
    const msgstr = this.textarea.value;
    if (this.checked && this.checked.msgstr === msgstr) return this.checked.findings;
    const result = await api("POST", `${API}/entries/${this.key}/check`, { msgstr });
    this.checked = { msgstr, findings: result.findings };
    return result.findings;
  }

  copySource() {
    if (!this.data.editable) return;
    this.replaceText(this.data.msgid);
    this.textarea.focus();
  }

  toggleFuzzy() {
    if (!this.data.editable) return;
    this.fuzzy.checked = !this.fuzzy.checked;
    this.edited(false);
  }

  replaceText(text) {
    this.textarea.focus();
    this.textarea.select();
    this.programmatic = true;
    // insertText keeps the browser's undo (Ctrl+Z) working; the fallback does not.
    if (!document.execCommand("insertText", false, text)) {
      this.textarea.value = text;
      this.edited(true);
    }
    this.programmatic = false;
  }

  revert() {
    this.conflict.hidden = true;
    this.show(this.data);
    this.setStatus("", "Reverted");
    if (preview) preview.reload();
  }

  // The best translation memory matches of this entry, fetched once it is current.
  async loadMemory() {
    if (this.memoryMatches !== null || !this.data.editable) return;
    this.memoryMatches = [];
    try {
      this.memoryMatches = (await api("GET", `${API}/entries/${this.key}/memory`)).matches;
    } catch (err) {
      this.memory.replaceChildren(el("p", { class: "memory-error", text: `Translation memory: ${err.message}` }));
      this.memory.hidden = false;
      return;
    }
    this.renderMemory();
  }

  renderMemory() {
    const matches = this.memoryMatches || [];
    this.memory.hidden = matches.length === 0;
    this.memory.replaceChildren(
      el("div", { class: "label", text: "Translation memory" }),
      el("ol", { class: "memory-matches" }, ...matches.map((m, i) => el("li", { class: "memory-match" },
        el("span", { class: "score", title: "similarity of the two sources", text: `${Math.round(m.score * 100)}%` }),
        el("div", { class: "memory-texts" },
          el("p", { class: "memory-source diff", lang: catalog.source_lang }, ...m.diff.map(([op, text]) =>
            op === "=" ? text : el(op === "+" ? "ins" : "del", { text }))),
          el("p", { class: "memory-target", lang: LANG, text: m.target }),
          el("span", { class: "memory-origin", text: m.origin })),
        el("button", { type: "button", class: "use-memory", onclick: () => this.useMemory(i),
          title: i < 3 ? keyLabel(KEYS[`memory${i + 1}`]) : null, "aria-keyshortcuts": i < 3 ? KEYS[`memory${i + 1}`].aria : null },
          "Use", i < 3 ? el("kbd", { text: keyLabel(KEYS[`memory${i + 1}`]) }) : null)))));
  }

  // Put a memory match in the box: an exact match as it is, a near one marked fuzzy.
  useMemory(i) {
    const match = (this.memoryMatches || [])[i];
    if (!match || !this.data.editable) return;
    this.replaceText(match.target);
    this.fuzzy.checked = match.score < 1;
    this.edited(false);
    this.setStatus("dirty", match.score < 1
      ? `Memory match (${Math.round(match.score * 100)}%), marked fuzzy: adapt it, then save`
      : "Memory match (same source): check it, then save");
    this.runChecks();
  }

  async suggest() {
    this.suggestButton.disabled = true;
    this.setStatus("busy", `Asking ${catalog.engine}…`);
    try {
      const draft = await api("POST", `${API}/entries/${this.key}/suggest`, {});
      this.replaceText(draft.msgstr);
      this.fuzzy.checked = true;
      const lines = this.comment.value.split("\n").filter((l) => l && !l.startsWith(STAMP));
      this.comment.value = [...lines, draft.comment].join("\n");
      this.commentBox.open = true;
      this.edited(false);
      this.setStatus("dirty", `Machine draft (${draft.engine}), marked fuzzy: review, then save`);
      this.runChecks();
    } catch (err) {
      this.setStatus("error", `No suggestion: ${err.message}`);
    } finally {
      this.suggestButton.disabled = !this.data.editable;
    }
  }

  async save() {
    if (!this.data.editable) return false;
    if (!this.isDirty() && this.conflict.hidden) return true;
    if (this.textarea.value && !this.fuzzy.checked) {
      // A translation a check keeps from being published: only if the translator says so.
      let blocking;
      try {
        blocking = (await this.findingsNow()).filter((f) => f.blocks);
      } catch (err) {
        this.setStatus("error", `Not saved: ${err.message}`);
        return false;
      }
      if (blocking.length) {
        const choice = await confirmFailing(blocking, catalog.source_lang_name);
        if (choice === "cancel") {
          this.setStatus("dirty", "Not saved: fix the translation, or save it as fuzzy");
          this.textarea.focus();
          return false;
        }
        if (choice === "fuzzy") this.fuzzy.checked = true;
      }
    }
    this.setStatus("busy", "Saving…");
    const body = { msgstr: this.textarea.value, fuzzy: this.fuzzy.checked, comment: this.comment.value, base: this.base };
    try {
      const result = await api("PUT", `${API}/entries/${this.key}`, body);
      this.conflict.hidden = true;
      this.show(result.entry);
      this.setStatus("saved", "Saved");
      catalog.version = result.version;
      updateSummary(result.summary);
      if (preview) preview.reload(this.key);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        this.showConflict(err.data);
        this.setStatus("error", "Not saved: changed by someone else");
      } else {
        this.setStatus("error", `Not saved: ${err.message}`);  // the text stays in the box
      }
      return false;
    }
  }

  async saveAndNext() {
    if (await this.save()) moveToNextNeedingWork(this);
  }

  showConflict(data) {
    const version = (title, v, cls, button) => el("div", { class: `version ${cls}` },
      el("div", { class: "version-title", text: title }),
      el("div", { class: "version-text", lang: LANG, text: v.msgstr || "(empty)" }),
      el("div", { class: "version-meta", text: `${v.fuzzy ? "fuzzy" : "not fuzzy"}${v.comment ? ` · comment: ${v.comment}` : ""}` }),
      button);
    const useTheirs = el("button", { type: "button", class: "use-theirs", text: "Use this version", onclick: async () => {
      this.show({ ...this.data, msgstr: data.theirs.msgstr, fuzzy: data.theirs.fuzzy, comment: data.theirs.comment,
        base: data.base, state: !data.theirs.msgstr ? "untranslated" : data.theirs.fuzzy ? "fuzzy" : "translated" });
      this.conflict.hidden = true;
      this.base = null;  // makes refresh() take the entry as it is on disk, with its findings
      await refresh();
      this.setStatus("saved", "Updated to the version on disk");
    } });
    const overwrite = el("button", { type: "button", class: "primary overwrite", text: "Save mine over it", onclick: async () => {
      this.base = data.base;
      await this.save();
    } });
    this.conflict.replaceChildren(
      el("div", { class: "conflict-title", text: "Conflict: this entry was saved by someone else while you edited it" }),
      el("p", { text: "Nothing was overwritten. Compare both versions and choose one." }),
      el("div", { class: "versions" },
        version("On disk now", data.theirs, "theirs", useTheirs),
        version("Yours (not saved)", data.yours, "yours", overwrite)));
    this.conflict.hidden = false;
    this.conflict.scrollIntoView({ block: "nearest" });
  }

  matches() {
    const passes = filter === "all"
      || (filter === "untranslated" && (this.state === "untranslated" || this.state === "missing"))
      || (filter === "fuzzy" && this.state === "fuzzy")
      || (filter === "failing" && this.state === "failing")
      || (filter === "checks" && this.hasFindings);
    if (!passes) return false;
    if (!query) return true;
    const q = query.toLocaleLowerCase();
    return [this.data.msgid, this.textarea.value, this.data.msgstr].some((t) => t.toLocaleLowerCase().includes(q));
  }
}

// Wrap the glossary terms' forms found in the text of ``root`` in <mark>s (text nodes
// only, built with the DOM: the terms are text from the project's files).
function markTerms(root, terms) {
  const forms = [];
  for (const t of terms) for (const form of t.forms) forms.push([form, t]);
  if (!forms.length) return;
  forms.sort((a, b) => b[0].length - a[0].length);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  for (const node of nodes) {
    const text = node.nodeValue;
    const parts = [];
    let done = 0;
    for (let i = 0; i < text.length;) {
      const hit = forms.find(([form]) => text.startsWith(form, i)
        && !/[\p{L}\p{N}]/u.test(text[i - 1] || "") && !/[\p{L}\p{N}]/u.test(text[i + form.length] || ""));
      if (!hit) { i += 1; continue; }
      const [form, t] = hit;
      if (i > done) parts.push(text.slice(done, i));
      parts.push(el("mark", { class: "term-mark", title: `Glossary: ${t.target}${t.note ? ` (${t.note})` : ""}`,
        dataset: { target: t.target }, text: form }));
      i += form.length;
      done = i;
    }
    if (!parts.length) continue;
    if (done < text.length) parts.push(text.slice(done));
    node.replaceWith(...parts);
  }
}

// -- the list ------------------------------------------------------------------------------

function visible() {
  return order.filter((e) => !e.node.hidden);
}

function setCurrent(entry, scroll = true) {
  if (current === entry) return;
  if (current) current.node.classList.remove("current");
  current = entry;
  entry.node.classList.add("current");
  if (preview) preview.highlight(entry.key, scroll);
  entry.loadMemory();
}

function focusEntry(entry) {
  setCurrent(entry);
  entry.node.scrollIntoView({ block: "nearest" });
  const target = entry.data.editable ? entry.textarea : entry.node;
  target.focus({ preventScroll: true });
  entry.node.scrollIntoView({ block: "nearest" });
}

function move(step) {
  const list = visible();
  if (!list.length) return;
  const at = current ? list.indexOf(current) : -1;
  const next = list[Math.min(Math.max(at + step, 0), list.length - 1)];
  if (next) focusEntry(next);
}

function moveToNextNeedingWork(from) {
  const list = visible();
  const at = list.indexOf(from);
  const next = [...list.slice(at + 1), ...list.slice(0, Math.max(at, 0))].find((e) => e.needsWork && e !== from);
  if (next) focusEntry(next);
  else from.setStatus("saved", "Saved · no other entry needs work");
}

function applyFilter() {
  let shown = 0;
  for (const entry of order) {
    entry.node.hidden = !entry.matches();
    shown += !entry.node.hidden;
  }
  document.getElementById("empty").hidden = shown > 0;
  for (const chip of document.querySelectorAll(".chip")) chip.setAttribute("aria-pressed", String(chip.dataset.filter === filter));
  const url = new URL(location.href);
  filter === "all" ? url.searchParams.delete("filter") : url.searchParams.set("filter", filter);
  query ? url.searchParams.set("q", query) : url.searchParams.delete("q");
  history.replaceState(null, "", url);
}

function updateSummary(summary) {
  catalog.summary = summary;
  const counts = { all: order.length, untranslated: 0, fuzzy: 0, failing: 0, checks: 0 };
  for (const e of order) {
    if (e.state === "untranslated" || e.state === "missing") counts.untranslated += 1;
    if (e.state === "fuzzy") counts.fuzzy += 1;
    if (e.state === "failing") counts.failing += 1;
    if (e.hasFindings) counts.checks += 1;
  }
  for (const chip of document.querySelectorAll(".chip")) chip.querySelector(".n").textContent = counts[chip.dataset.filter];
  const total = order.length || 1;
  const translated = order.filter((e) => e.state === "translated").length;
  for (const [name, n] of [["translated", translated], ["fuzzy", counts.fuzzy], ["untranslated", counts.untranslated],
    ["failing", counts.failing]]) {
    document.querySelector(`.progress .seg.${name}`).style.flexGrow = String(n / total);
  }
  document.getElementById("progress-text").textContent = `${translated} of ${order.length} translated`
    + (counts.failing ? ` · ${counts.failing} failing` : "")
    + (summary && summary.words ? ` · ${summary.percent}% of words` : "");
}

// -- the preview ---------------------------------------------------------------------------

class Preview {
  constructor(url) {
    this.url = url;
    this.frame = el("iframe", { class: "preview-frame", title: `Preview of the page in ${catalog.lang_name}`,
      sandbox: "allow-same-origin", src: url });
    this.focusKey = null;
    this.frame.addEventListener("load", () => this.loaded());
  }

  get doc() { return this.frame.contentDocument; }

  reload(key) {
    if (key) this.focusKey = key;
    this.frame.src = `${this.url}?t=${Date.now()}`;
  }

  loaded() {
    const doc = this.doc;
    if (!doc) return;
    doc.addEventListener("click", (event) => {
      const link = event.target.closest("a[href]");
      if (!link) return;
      event.preventDefault();
      const url = new URL(link.href);
      const here = new URL(doc.baseURI);
      if (url.pathname === here.pathname && url.hash) {
        this.scrollTo(doc.getElementById(decodeURIComponent(url.hash.slice(1))));
      } else {
        window.open(url.href, "_blank", "noopener");
      }
    });
    doc.querySelectorAll("[data-entry]").forEach((block) => block.addEventListener("click", () => {
      const entry = entries.get(block.dataset.entry);
      if (entry) { if (entry.node.hidden) { filter = "all"; query = ""; searchBox.value = ""; applyFilter(); } focusEntry(entry); }
    }));
    for (const entry of order) if (entry.dirty && entry.draftHtml !== null) this.draft(entry);
    const key = this.focusKey || (current && current.key);
    this.frame.dataset.loads = String(Number(this.frame.dataset.loads || 0) + 1);
    if (key) this.highlight(key, true, this.focusKey !== null);
    this.focusKey = null;
  }

  highlight(key, scroll = true, flash = false) {
    const doc = this.doc;
    if (!doc) return;
    doc.querySelectorAll(".pr-current").forEach((n) => n.classList.remove("pr-current", "pr-flash"));
    const block = doc.querySelector(`[data-entry="${key}"]`);
    if (!block) return;
    block.classList.add("pr-current");
    if (flash) block.classList.add("pr-flash");
    if (scroll) this.scrollTo(block);
  }

  // Centre ``node`` in the preview by scrolling the preview alone: scrollIntoView
  // would scroll the editor's page too wherever the page itself scrolls (≤ 980 px),
  // and the box being typed in would leave the screen.
  scrollTo(node) {
    const win = this.doc && this.doc.defaultView;
    if (!node || !win) return;
    const box = node.getBoundingClientRect();
    win.scrollTo({ top: Math.max(0, win.scrollY + box.top - Math.max(0, (win.innerHeight - box.height) / 2)),
      behavior: "instant" });
  }

  // The text being typed, in place, before it is saved.
  draft(entry) {
    const block = this.doc && this.doc.querySelector(`[data-entry="${entry.key}"]`);
    if (!block || entry.data.kinds.some((kind) => kind === "image alt" || kind === "image caption")) return;
    block.replaceChildren(rendered(entry.draftHtml));
    block.classList.add("pr-draft");
  }
}

// -- the page ------------------------------------------------------------------------------

let searchBox;

async function refresh() {
  let fresh;
  try {
    fresh = await api("GET", API);
  } catch (err) {
    showBanner(err.message);
    return;
  }
  const keys = fresh.entries.map((e) => e.key).join();
  if (keys !== order.map((e) => e.key).join()) {
    showBanner("The source of this catalog changed: reload the page to see its entries.", true);
    return;
  }
  catalog.version = fresh.version;
  fresh.entries.forEach((data) => {
    const entry = entries.get(data.key);
    const changed = JSON.stringify(data.base) !== JSON.stringify(entry.base);
    if (!entry.dirty && entry.conflict.hidden) {
      if (changed || data.state !== entry.state) entry.show(data);
    } else if (changed) {
      entry.setStatus("error", "Changed on disk since you started editing: saving will show both versions");
    }
  });
  updateSummary(fresh.summary);
  if (preview) preview.reload();
}

async function pollVersion() {
  try {
    const { version } = await api("GET", `${API}/version`);
    if (version !== catalog.version) await refresh();
  } catch (err) {
    showBanner(err.message);
  }
}

function showBanner(text, reload = false) {
  const banner = document.getElementById("banner");
  banner.replaceChildren(el("span", { text }),
    reload ? el("button", { type: "button", text: "Reload", onclick: () => location.reload() }) : null);
  banner.hidden = false;
}

function toolbar() {
  const chips = FILTERS.map(([name, label]) => el("button", {
    type: "button", class: `chip ${name}`, dataset: { filter: name }, "aria-pressed": "false",
    onclick: () => { filter = name; applyFilter(); },
  }, label, " ", el("span", { class: "n" })));
  searchBox = el("input", { type: "search", class: "search", placeholder: "Search source and translation",
    "aria-label": "Search source and translation", value: query,
    oninput: debounce(() => { query = searchBox.value.trim(); applyFilter(); }, 120) });
  const progress = el("div", { class: "progress bar" },
    el("span", { class: "seg translated" }), el("span", { class: "seg fuzzy" }), el("span", { class: "seg untranslated" }),
    el("span", { class: "seg failing" }));
  return el("div", { class: "toolbar" },
    el("div", { class: "filters", role: "group", "aria-label": "Show" }, chips),
    searchBox,
    el("div", { class: "summary" }, progress, el("span", { id: "progress-text" })));
}

function head() {
  return el("div", { class: "catalog-head" },
    el("div", {},
      el("h1", {}, el("span", { text: catalog.title }), el("span", { class: "lang-tag", lang: LANG, text: catalog.lang_name })),
      el("p", { class: "muted" },
        el("code", { text: catalog.path }), " · ",
        el("a", { href: catalog.site_url, target: "_blank", rel: "noopener", text: "Published page ↗" }))),
  );
}


function previewPane() {
  if (!catalog.preview) {
    return el("aside", { class: "preview-pane empty" },
      el("p", { text: "Interface strings appear on every page of the site; it is rebuilt when you save." }),
      el("a", { href: catalog.site_url, target: "_blank", rel: "noopener", text: "Open the site ↗" }));
  }
  preview = new Preview(catalog.preview);
  return el("aside", { class: "preview-pane", "aria-label": "Preview" },
    el("div", { class: "preview-head" },
      el("span", { class: "preview-title", text: `Preview · ${catalog.lang_name} · as published` }),
      el("span", { class: "legend" },
        el("span", { class: "key current", text: "editing" }),
        el("span", { class: "key fuzzy", text: "fuzzy" }),
        el("span", { class: "key untranslated", text: "untranslated" }),
        el("span", { class: "key failing", text: "failing" }),
        el("span", { class: "key draft", text: "unsaved" }))),
    preview.frame);
}

function onKey(event) {
  if (document.querySelector("dialog[open]")) return;  // the dialog's own keys
  const entry = current;
  const action = matchKey(event);
  if (!action) return;
  event.preventDefault();
  if (action === "next" || action === "previous") move(action === "next" ? 1 : -1);
  if (!entry) return;
  if (action === "save") entry.saveAndNext();
  else if (action === "fuzzy") entry.toggleFuzzy();
  else if (action === "copy") entry.copySource();
  else if (action === "suggest") { if (entry.data.editable) entry.suggest(); }
  else if (action.startsWith("memory")) entry.useMemory(Number(action.slice(6)) - 1);
}

async function main() {
  watchSiteStatus();
  const app = document.getElementById("app");
  try {
    catalog = await api("GET", API);
  } catch (err) {
    setCrumbs({ text: "Translations", href: "/edit/" }, { text: `${LANG}/${DOMAIN}` });
    app.replaceChildren(el("p", { class: "banner error", text: err.message }));
    return;
  }
  setCrumbs({ text: "Translations", href: "/edit/" }, { text: catalog.title }, { text: catalog.lang_name });
  catalog.entries.forEach((data, i) => {
    const entry = new Entry(data, i + 1);
    entries.set(data.key, entry);
    order.push(entry);
  });
  const list = el("div", { class: "entries" }, order.map((e) => e.node),
    el("p", { id: "empty", class: "empty", hidden: true, text: "No entry matches." }));
  app.replaceChildren(
    el("div", { class: "workspace" },
      el("section", { class: "editor-pane" },
        head(), el("div", { id: "banner", class: "banner", hidden: true, role: "alert" }), toolbar(), keysHelp(), list),
      previewPane()));
  updateSummary(catalog.summary);
  applyFilter();
  document.addEventListener("keydown", onKey);
  window.addEventListener("beforeunload", (event) => {
    if (order.some((e) => e.dirty)) event.preventDefault();
  });
  setInterval(pollVersion, 3000);
  const first = visible().find((e) => e.needsWork) || visible()[0];
  if (first) setCurrent(first, false);
  document.body.dataset.ready = "true";
}

main();
