/**
 * HTML and SVG that a cell displays, made inert before it joins the page: parsed in a detached document, then
 * scripts, frames, forms and event-handler attributes dropped and `javascript:` URLs removed.
 */
const DROP = new Set(["script", "iframe", "object", "embed", "link", "meta", "base", "form", "frame", "frameset", "noscript"]);

function clean(node: Element): void {
  for (const child of [...node.children]) {
    if (DROP.has(child.localName.toLowerCase())) {
      child.remove();
      continue;
    }
    for (const attr of [...child.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\s\p{Cc}]/gu, "").toLowerCase();
      if (name.startsWith("on") || ((name.endsWith("href") || name === "src" || name === "action" || name === "formaction") && value.startsWith("javascript:"))) {
        child.removeAttribute(attr.name);
      }
    }
    clean(child);
  }
}

/** `markup` as a fragment safe to insert (no script can run from it). */
export function inertFragment(markup: string): DocumentFragment {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${markup}`, "text/html");
  clean(doc.body);
  const fragment = document.createDocumentFragment();
  for (const node of [...doc.body.childNodes]) fragment.append(document.importNode(node, true));
  return fragment;
}
