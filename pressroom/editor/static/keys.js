// The catalog page's keyboard shortcuts, and the dialog that asks before a failing
// translation is saved.
//
// "Mod" is Ctrl, or ⌘ on macOS. The letters follow Poedit (Mod+B copies the source,
// Mod+U toggles "needs work") and Weblate (Mod+Enter saves, Mod+M its machine
// translation: with Shift here, since ⌘M minimizes the window on macOS and Ctrl+M
// mutes the tab in Firefox). Alt+letter is avoided: it opens the menus of Windows
// and Linux browsers, and Option+letter types accented letters on macOS. Letters
// are matched by the key typed or, on a non-Latin layout (Russian), by its place.
import { el } from "./common.js";

const MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export const KEYS = {
  save: { mod: true, key: "Enter", help: "save, then go to the next entry that needs work" },
  fuzzy: { mod: true, key: "u", help: "toggle Needs review (fuzzy)" },
  copy: { mod: true, key: "b", help: "copy the source into the box" },
  suggest: { mod: true, shift: true, key: "m", help: "ask for a machine suggestion" },
  memory1: { alt: true, key: "1", help: "use memory match 1" },
  memory2: { alt: true, key: "2", help: "use memory match 2" },
  memory3: { alt: true, key: "3", help: "use memory match 3" },
  previous: { alt: true, key: "ArrowUp", help: "previous entry" },
  next: { alt: true, key: "ArrowDown", help: "next entry" },
};

const NAMES = { Enter: "Enter", ArrowUp: "↑", ArrowDown: "↓" };
for (const spec of Object.values(KEYS)) {
  const key = spec.key.length === 1 ? spec.key.toUpperCase() : spec.key;
  spec.aria = [spec.mod ? (MAC ? "Meta" : "Control") : null, spec.alt ? "Alt" : null, spec.shift ? "Shift" : null, key]
    .filter(Boolean).join("+");
}

// As the page shows it: "Ctrl+Shift+M", or "⌘+Shift+M" on macOS.
export function keyLabel(spec) {
  const key = NAMES[spec.key] || spec.key.toUpperCase();
  return [spec.mod ? (MAC ? "⌘" : "Ctrl") : null, spec.alt ? (MAC ? "⌥" : "Alt") : null, spec.shift ? "Shift" : null, key]
    .filter(Boolean).join("+");
}

function typed(event, key) {
  if (key.length > 1) return event.key === key;
  if (event.key.toLowerCase() === key) return true;
  // Another layout: the key's place (KeyU, Digit1), unless the key typed is itself a Latin letter.
  const place = /[a-z]/.test(key) ? `Key${key.toUpperCase()}` : `Digit${key}`;
  return event.code === place && !/^[a-z0-9]$/i.test(event.key);
}

// The action of a key press, or null.
export function matchKey(event) {
  for (const [action, spec] of Object.entries(KEYS)) {
    // Saving takes Ctrl or ⌘ anywhere, as it always has.
    const mod = action === "save" ? event.ctrlKey || event.metaKey : MAC ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
    if (Boolean(spec.mod) !== mod || Boolean(spec.alt) !== event.altKey) continue;
    if (action !== "save" && Boolean(spec.shift) !== event.shiftKey) continue;
    if (typed(event, spec.key)) return action;
  }
  return null;
}

// The list of shortcuts, folded under the toolbar.
export function keysHelp() {
  const shown = ["save", "fuzzy", "copy", "suggest", "memory1", "previous"];
  const label = (name) => name === "memory1" ? `${keyLabel(KEYS.memory1)}…${keyLabel(KEYS.memory3).split("+").pop()}`
    : name === "previous" ? `${keyLabel(KEYS.previous)} ${keyLabel(KEYS.next)}` : keyLabel(KEYS[name]);
  const help = { memory1: "use memory match 1, 2 or 3", previous: "previous / next entry" };
  return el("details", { class: "keys" },
    el("summary", { text: "Keyboard shortcuts" }),
    el("dl", {}, shown.flatMap((name) => [el("dt", {}, el("kbd", { text: label(name) })),
      el("dd", { text: help[name] || KEYS[name].help })])));
}

// Ask before saving a translation that ``blocking`` findings keep from being
// published: "save" (it is saved, shown and counted as failing), "fuzzy" (saved as a
// draft) or "cancel" (back to the box; Escape too).
export function confirmFailing(blocking, sourceLangName) {
  return new Promise((resolve) => {
    const button = (value, text, cls) => el("button", { type: "submit", value, class: cls, text });
    const dialog = el("dialog", { class: "confirm-failing", "aria-labelledby": "confirm-title" },
      el("form", { method: "dialog" },
        el("h2", { id: "confirm-title", text: "This translation will not be published" }),
        el("p", { text: `It fails ${blocking.length === 1 ? "a check that keeps" : `${blocking.length} checks that keep`}`
          + ` the build from publishing it: readers get the ${sourceLangName} text in its place, and the entry`
          + " counts as failing until it is fixed." }),
        el("ul", { class: "findings" }, blocking.map((f) => el("li", { class: "error" },
          el("span", { class: "check", text: f.check }), el("span", { text: f.message })))),
        el("div", { class: "dialog-actions" },
          button("cancel", "Keep editing", "keep"),
          button("fuzzy", "Save as fuzzy", "as-fuzzy"),
          button("save", "Save anyway", "primary save-anyway"))));
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(["save", "fuzzy"].includes(dialog.returnValue) ? dialog.returnValue : "cancel");
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector("button.keep").focus();
  });
}
