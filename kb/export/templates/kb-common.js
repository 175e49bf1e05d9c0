"use strict";
/* Shared by kb's HTML exports. Every piece of article text reaches the page through
   DOM text nodes (textContent / append of strings), never innerHTML. */
const KB = JSON.parse(document.getElementById("kb-data").textContent);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === "") continue;
    node.append(typeof child === "string" ? child : child instanceof Node ? child : String(child));
  }
  return node;
}

function dateText(item) {
  // worded by kb.display: at the date's own granularity, "(date of the report)" when
  // the text states no date
  return item.when || "undated";
}

function tooltip(lines) {
  const box = el("div", {class: "tip"});
  lines.forEach((line, i) => { if (line) box.append(i === 0 ? el("b", null, line) : el("div", null, line)); });
  return box;
}

function itemTooltip(item) {
  const who = (item.actors || []).map(a => a[0] + " (" + a[1] + ")").join(", ");
  return tooltip([
    item.words || (item.label || item.type),
    dateText(item) + " \u00b7 " + item.type,
    who,
    item.source,
  ]);
}

function safeUrl(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

function itemBlock(item) {
  const who = (item.actors || []).map(a => a[0] + " (" + a[1] + ")").join(", ");
  const head = el("div", {class: "head"},
    el("span", {class: "date " + item.basis}, dateText(item)), " ",
    el("span", {class: "type"}, item.type), " ",
    el("span", {class: "pred"}, item.predicate || ""),
    item.negated ? " (negated)" : "", item.hypothetical ? " (hypothetical)" : "");
  const url = safeUrl(item.url);
  const cite = el("div", {class: "cite"}, "Source: ", item.source);
  if (url) cite.append(" ", el("a", {href: url, rel: "noopener noreferrer"}, "link"));
  return el("div", {class: "item", "data-item": item.id}, head,
    who ? el("div", {class: "who"}, who) : null,
    // quotation marks only around words the article quotes (kb.display)
    item.words ? el("div", {class: item.direct ? "quote" : "quote indirect"}, item.words) : null,
    el("blockquote", {class: "sentence"}, item.sentence || ""),
    cite);
}

function showPanel(title, subtitle, facts, itemIds) {
  const panel = document.getElementById("panel");
  panel.replaceChildren();
  panel.append(el("h2", null, title));
  if (subtitle) panel.append(el("p", {class: "sub"}, subtitle));
  const dl = el("dl");
  for (const [key, value] of facts) {
    if (value === null || value === undefined || value === "") continue;
    dl.append(el("dt", null, key), el("dd", null, String(value)));
  }
  if (dl.childElementCount) panel.append(dl);
  const items = (itemIds || []).map(id => KB.items[id]).filter(Boolean);
  items.sort((a, b) => (a.date || "9999").localeCompare(b.date || "9999"));
  panel.append(el("p", {class: "sub"}, items.length + (items.length === 1 ? " event" : " events")));
  for (const item of items) panel.append(itemBlock(item));
  panel.scrollTop = 0;
}

function showItem(id) {
  const item = KB.items[id];
  if (!item) return;
  showPanel(item.label || item.type, dateText(item), [], [id]);
}

function formatDay(date, step) {
  const y = date.getUTCFullYear(), m = MONTHS[date.getUTCMonth()], d = date.getUTCDate();
  if (step >= 365) return String(y);
  if (step >= 28) return m + " " + y;
  return d + " " + m + " " + y;
}

// Legend entries are filters: each button hides or shows what it names; apply(hidden)
// gets the set of names hidden now.
function legendFilters(apply) {
  const hidden = new Set();
  document.querySelectorAll("#legend button.filter").forEach(button => {
    button.addEventListener("click", () => {
      const name = button.dataset.filter;
      if (hidden.has(name)) hidden.delete(name); else hidden.add(name);
      button.setAttribute("aria-pressed", String(!hidden.has(name)));
      apply(hidden);
    });
  });
}
