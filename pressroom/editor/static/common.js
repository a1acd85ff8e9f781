// Shared by the editor's pages: DOM building (text is always set as text, never
// parsed as HTML), JSON calls with the CSRF header, the site build status.

export const csrf = document.querySelector('meta[name="csrf-token"]').content;

export class ApiError extends Error {
  constructor(status, data) {
    super(data.error || `HTTP ${status}`);
    this.status = status;
    this.data = data;
  }
}

export async function api(method, url, body) {
  const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  if (method !== "GET") options.headers["X-CSRF-Token"] = csrf;
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new ApiError(0, { error: "the editor's server cannot be reached (is `build.py serve` still running?)" });
  }
  let data;
  try {
    data = await response.json();
  } catch {
    data = { error: `HTTP ${response.status} ${response.statusText}` };
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// el("a", {href, class, text, onclick}, ...children): children are nodes or text.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// HTML rendered by the server from Markdown (raw HTML is escaped there).
export function rendered(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

export function setCrumbs(...items) {
  const nav = document.getElementById("crumbs");
  nav.replaceChildren();
  items.forEach((item, i) => {
    if (i) nav.append(el("span", { class: "sep", "aria-hidden": "true", text: "›" }));
    nav.append(item.href ? el("a", { href: item.href, text: item.text }) : el("span", { text: item.text }));
  });
}

export function plural(n, one, many = one + "s") {
  return `${n} ${n === 1 ? one : many}`;
}

function formatTime(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "";
}

// The site's build state in the top bar, polled.
export function watchSiteStatus() {
  const box = document.getElementById("site-status");
  async function poll() {
    try {
      const { site } = await api("GET", "/edit/api/status");
      if (!site) {
        box.replaceChildren(el("span", { class: "dot idle" }), "Site: not rebuilt by this server");
      } else if (site.state === "building" || site.state === "pending") {
        box.replaceChildren(el("span", { class: "dot busy" }), "Site: rebuilding…");
      } else if (site.result === "failed") {
        box.replaceChildren(el("span", { class: "dot bad" }), `Site build failed (${plural(site.errors, "error")})`);
        box.title = site.problems.join("\n");
      } else {
        const warn = site.warnings ? ` · ${plural(site.warnings, "warning")}` : "";
        box.replaceChildren(el("span", { class: "dot ok" }), `Site up to date · ${formatTime(site.finished)}${warn}`);
        box.title = site.problems.join("\n");
      }
      box.dataset.state = site ? site.state : "off";
      box.dataset.builds = site ? site.builds : 0;
    } catch (err) {
      box.replaceChildren(el("span", { class: "dot bad" }), err.message);
    }
  }
  poll();
  setInterval(poll, 2500);
}
