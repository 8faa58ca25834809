// Site search: Pagefind's UI in the header's dialog (site_templates/theme/partials/pagefind.html), with what it
// lacks for Vietnamese (generator/search.py explains the index):
// - đ is indexed as "d" + U+0335, which Pagefind folds to d: a query is spelled the same way, and
//   titles and excerpts are turned back into đ before anyone sees them;
// - the link of a result carries the words it matched, as printed on the page ("Đống", "Đa" for
//   "dong da"); the page opened highlights exactly those.
(() => {
  "use strict";
  const STROKE = "\u0335";
  const PARAM = "tu-khoa"; // URL parameter: a word the result matched, to highlight on its page
  const script = document.currentScript;
  const bundle = new URL("../pagefind/", script.src); // this file is assets/search.js
  const root = new URL("../", script.src);

  const toIndex = (text) => text.normalize("NFC").replace(/đ/g, "d" + STROKE).replace(/Đ/g, "D" + STROKE);
  const fromIndex = (text) => (text || "").replace(/d\u0335/g, "đ").replace(/D\u0335/g, "Đ");
  const EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
  // "Đống" → "dong": how a reader types a word without diacritics (U+0335 is a mark too)
  const fold = (word) => word.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  const parts = (word) => " " + word.split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(" ");

  // The query's words. Pagefind also matches words that merely begin with one ("da" finds
  // "Đảng"), and any spelling that folds the same ("Đống" finds "động"): the words meant are those
  // spelled as typed when it was typed with diacritics, else those equal to it without diacritics,
  // else (a word still being typed: "khen thu") those it begins.
  let terms = [];
  function processTerm(term) {
    terms = term.split(/\s+/).filter((word) => word.replace(EDGES, "")).map((word) => ({
      exact: parts(word.normalize("NFC").toLowerCase()),
      folded: parts(fold(word)),
    }));
    return toIndex(term);
  }

  // The words of a page at Pagefind's word positions (its text split on whitespace, as Pagefind counts).
  function wordsAt(content, locations) {
    const words = content.includes("\u200B") ? content.split("\u200B") : content.split(/[\r\n\s]+/g);
    return [...new Set((locations || []).map((at) => fromIndex((words[at] || "").replace(EDGES, ""))).filter(Boolean))];
  }

  function meant(words) {
    if (!terms.length) return new Set(words);
    const chosen = new Set();
    for (const { exact, folded } of terms) {
      const spelled = exact !== folded ? words.filter((w) => (parts(w.toLowerCase()) + " ").includes(exact + " ")) : [];
      const whole = words.filter((w) => (parts(fold(w)) + " ").includes(folded + " "));
      const begun = words.filter((w) => parts(fold(w)).includes(folded));
      for (const word of spelled.length ? spelled : whole.length ? whole : begun) chosen.add(word);
    }
    return chosen;
  }

  function withWords(url, words) {
    const target = new URL(url, location.href);
    for (const word of words) target.searchParams.append(PARAM, word);
    return target.pathname + target.search + target.hash;
  }

  // Pagefind's excerpt marks every word matched; keep the marks of the words meant.
  const remark = (excerpt, chosen) =>
    fromIndex(excerpt).replace(/<mark>([^<]*)<\/mark>/g, (mark, word) => (chosen.has(word.replace(EDGES, "")) ? mark : word));

  function processResult(data) {
    const content = data.content || "";
    const chosen = meant(wordsAt(content, data.locations));
    data.meta.title = fromIndex(data.meta.title);
    data.excerpt = remark(data.excerpt, chosen);
    data.url = withWords(data.url, chosen);
    for (const sub of data.sub_results || []) {
      sub.title = fromIndex(sub.title);
      sub.excerpt = remark(sub.excerpt, chosen);
      sub.url = withWords(sub.url, wordsAt(content, sub.locations).filter((word) => chosen.has(word)));
    }
    return data;
  }

  function load(tag, attributes) {
    return new Promise((resolve, reject) => {
      const element = Object.assign(document.createElement(tag), attributes);
      element.onload = resolve;
      element.onerror = () => reject(new Error(`không tải được ${attributes.src || attributes.href}`));
      document.head.appendChild(element);
    });
  }

  // A large site is indexed in several bundles (generator/search.py: bundles): the main one lists
  // the others, which are merged into its results with the same options.
  const OPTIONS = {
    baseUrl: root.pathname,
    excerptLength: 24,
    // A plan is long by nature: its length is no sign that it matters less (Pagefind's default 0.75).
    // An exact word outranks a longer word it begins ("ha" is "Hà", not "Hai"): Pagefind's default 1.0.
    ranking: { pageLength: 0, termSimilarity: 3 },
  };
  function merged() {
    return fetch(new URL("planpub-bundles.json", bundle)).then((response) => (response.ok ? response.json() : []))
      .then((others) => others.map((path) => ({ ...OPTIONS, bundlePath: new URL(path, bundle).pathname })))
      .catch(() => []); // the list unreadable: search the main bundle rather than not at all
  }

  let ui = null;
  function mount(container) {
    if (!ui) {
      ui = Promise.all([
        merged(),
        load("link", { rel: "stylesheet", href: new URL("pagefind-ui.css", bundle).href }),
        load("script", { src: new URL("pagefind-ui.js", bundle).href }),
      ]).then(([mergeIndex]) => new window.PagefindUI({
        ...OPTIONS,
        element: container,
        bundlePath: bundle.pathname,
        mergeIndex,
        showSubResults: false, // one title and one excerpt a result: three fit on a phone's screen
        showImages: false,
        resetStyles: false,
        processTerm,
        processResult,
      }));
    }
    return ui;
  }

  const dialog = document.getElementById("pp-search");
  if (dialog) {
    const container = dialog.querySelector("[data-pp-search-ui]");
    const open = async () => {
      if (!dialog.open) dialog.showModal();
      await mount(container);
      const input = container.querySelector("input");
      if (input) {
        // Pagefind's box has a placeholder and a title, not a name of its own (axe: label-title-only)
        input.setAttribute("aria-label", dialog.getAttribute("aria-label") || "Tìm kiếm");
        input.focus();
      }
    };
    for (const button of document.querySelectorAll("[data-pp-search-open]")) button.addEventListener("click", open);
    dialog.querySelector("[data-pp-search-close]").addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); }); // the backdrop
    document.addEventListener("keydown", (event) => {
      const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
      if (event.key === "/" && !typing && !dialog.open) { event.preventDefault(); open(); }
    });
  }

  const words = new URLSearchParams(location.search).getAll(PARAM);
  const article = document.querySelector("article.md-content__inner");
  if (words.length && article) {
    import(new URL("pagefind-highlight.js", bundle).href).then(({ default: Highlight }) => new Highlight({
      highlightParam: PARAM,
      markContext: article,
      addStyles: false,
      // exactly the words matched, as printed: not every word that folds the same way
      markOptions: { className: "pp-highlight", diacritics: false, exclude: [".pp-subscribe *", ".pp-toc *", "code", "svg *"], accuracy: { value: "exactly", limiters: ",.;:!?()[]{}“”‘’\"'…–—-/".split("") } },
    }));
  }
})();
