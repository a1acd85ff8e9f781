// The search page (templates/search.html): Pagefind's JavaScript API, from the
// language's own index on this site, behind the page's form. No other script, and
// nothing fetched but this site's files. The index comes in shards
// (<lang>/pagefind/<k>/, listed in the form's data-bundles): the first one's
// pagefind.js is loaded and the others are merged into it (Pagefind's mergeIndex),
// so a query asks every shard and gets their results ranked together by score.
//
// Every text comes from the page (the UI catalog, through the template); results are
// shown as text: Pagefind's excerpt keeps only its <mark> elements.
const form = document.querySelector("form[data-search]");
const input = form.querySelector("input[type=search]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const texts = form.dataset;
const lang = document.documentElement.lang;
const PAGE = 20; // results shown at a time

let loading = null; // Pagefind's API, once asked for
let latest = 0; // the newest query; answers to older ones are dropped
let found = []; // results of the current query not shown yet
let more = null; // the "Show more results" button

function fill(text, values) {
  return text.replace(/%\((\w+)\)s/g, (_, name) => values[name]);
}

// Pagefind's API, loaded once: every query waits for the same load (two loads at
// once would set Pagefind's options twice while a search waits on it).
function api() {
  loading ??= (async () => {
    const [first, ...others] = texts.bundles.split(" ").filter(Boolean)
      .map((bundle) => new URL(bundle, document.baseURI).href);
    if (first === undefined) return null; // no analysis in this language yet
    const loaded = await import(`${first}pagefind.js`);
    // Results are paths from the site's root (/tr/analyses/x/): say where it is
    // (to every shard: options() sets the first one's only).
    const root = new URL(texts.root, document.baseURI).pathname;
    const options = { baseUrl: root, excerptLength: 30 };
    await loaded.options(options);
    await Promise.all(others.map((bundle) => loaded.mergeIndex(bundle, options)));
    return loaded;
  })().catch((error) => {
    loading = null; // the next query tries again
    throw error;
  });
  return loading;
}

// An excerpt's HTML (the page's text, escaped by Pagefind, with <mark> around the
// words found), parsed inertly and copied as text nodes and <mark> elements only.
function excerpt(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body;
  const out = document.createElement("p");
  out.className = "excerpt";
  const copy = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        out.append(child.textContent);
      } else if (child.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = child.textContent;
        out.append(mark);
      } else {
        copy(child);
      }
    }
  };
  copy(parsed);
  return out;
}

function item(data) {
  const li = document.createElement("li");
  li.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  li.append(heading);
  if (data.meta.date) {
    const meta = document.createElement("p");
    meta.className = "meta";
    const time = document.createElement("time");
    if (data.meta.date_iso) time.dateTime = data.meta.date_iso;
    time.textContent = data.meta.date;
    meta.append(time);
    li.append(meta);
  }
  li.append(excerpt(data.excerpt));
  return li;
}

async function showMore(ticket) {
  const next = found.splice(0, PAGE);
  const pages = await Promise.all(next.map((result) => result.data()));
  if (ticket !== latest) return;
  list.append(...pages.map(item));
  if (found.length === 0 && more !== null) {
    more.remove();
    more = null;
  }
}

async function search(query, now) {
  const ticket = ++latest;
  const url = new URL(location.href);
  if (query) url.searchParams.set("q", query);
  else url.searchParams.delete("q");
  history.replaceState(null, "", url);
  if (!query.trim()) {
    list.replaceChildren();
    more?.remove();
    more = null;
    status.textContent = "";
    return;
  }
  status.textContent = texts.searching;
  let answer;
  try {
    const engine = await api();
    if (engine === null) answer = { results: [] };
    else answer = now ? await engine.search(query) : await engine.debouncedSearch(query, {}, 250);
  } catch (error) {
    if (ticket === latest) status.textContent = texts.failed;
    console.error(error);
    return;
  }
  if (answer === null || ticket !== latest) return; // a newer query took over
  list.replaceChildren();
  more?.remove();
  more = null;
  found = answer.results.slice();
  await showMore(ticket);
  if (ticket !== latest) return;
  if (found.length > 0) {
    more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    more.textContent = texts.more;
    more.addEventListener("click", () => {
      const first = list.children.length;
      showMore(latest).then(() => list.children[first]?.querySelector("a")?.focus());
    });
    list.after(more);
  }
  const count = new Intl.NumberFormat(lang).format(answer.results.length);
  status.textContent = answer.results.length ? fill(texts.found, { count }) : fill(texts.none, { query });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  search(input.value, true);
});
input.addEventListener("input", () => search(input.value, false));

// Keyboard: Down from the box to the first result, Up and Down between results,
// Up from the first result or Escape from any back to the box.
input.addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown") {
    const first = list.querySelector("a");
    if (first) {
      event.preventDefault();
      first.focus();
    }
  }
});
list.addEventListener("keydown", (event) => {
  const links = [...list.querySelectorAll("h2 a")];
  const at = links.indexOf(document.activeElement);
  if (at < 0) return;
  if (event.key === "ArrowDown" && at + 1 < links.length) links[at + 1].focus();
  else if (event.key === "ArrowUp") (at > 0 ? links[at - 1] : input).focus();
  else if (event.key === "Escape") input.focus();
  else return;
  event.preventDefault();
});

const asked = new URL(location.href).searchParams.get("q");
if (asked) {
  input.value = asked;
  search(asked, true);
}
