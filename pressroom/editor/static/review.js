// Review: the "Reviewed" toggle of an entry follows what can be reviewed.
//
// A reviewed entry is a translated one that a second translator approved. A fuzzy or
// empty translation cannot be reviewed, and typing in the box clears the toggle: a
// changed translation is not reviewed any more, unless the reviewer, having edited
// it, ticks the box again before saving.

export function syncReview(entry, typed) {
  const box = entry.reviewed;
  if (typed && box.checked && entry.textarea.value !== entry.data.msgstr) box.checked = false;
  const possible = entry.data.editable && Boolean(entry.textarea.value) && !entry.fuzzy.checked;
  if (!possible) box.checked = false;
  box.disabled = !possible;
}
