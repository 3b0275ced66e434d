import sanitizeHtml from "sanitize-html";

const HTML_TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  "img", "figure", "figcaption", "details", "summary", "del", "ins", "s", "sub", "sup", "kbd", "samp", "var", "mark", "small", "center", "font",
];
const SVG_TAGS = [
  "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textpath", "title", "desc", "defs",
  "lineargradient", "radialgradient", "stop", "clippath", "mask", "pattern", "marker", "symbol", "use",
];
const ATTRIBUTES = [
  "class", "id", "style", "title", "lang", "dir", "role", "aria-*", "data-*", "width", "height", "align", "valign", "colspan", "rowspan",
  "alt", "src", "href", "rel", "xlink:href", "name", "start", "type", "open", "color", "size", "face",
  "viewbox", "preserveaspectratio", "xmlns", "xmlns:xlink", "version", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy",
  "d", "points", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray", "stroke-dashoffset",
  "stroke-linecap", "stroke-linejoin", "opacity", "transform", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
  "dominant-baseline", "alignment-baseline", "text-decoration", "letter-spacing", "offset", "stop-color", "stop-opacity", "gradientunits",
  "gradienttransform", "clip-path", "clippathunits", "mask", "patternunits", "marker-start", "marker-mid", "marker-end", "markerwidth",
  "markerheight", "markerunits", "refx", "refy", "orient", "visibility", "display", "vector-effect", "shape-rendering", "textlength",
];

/**
 * An allow-list, not a block-list: only the tags and attributes above survive, so anything new a
 * browser learns to execute is dropped by default. Gone: `<script>`, `<style>`, `<iframe>`, `<object>`,
 * `<embed>`, `<form>`, `<foreignObject>`, every `on*` handler (not in the list), and every URL whose
 * scheme is not http(s)/mailto (images may also be `data:`), so `javascript:` links lose their href.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...HTML_TAGS, ...SVG_TAGS],
  allowedAttributes: { "*": ATTRIBUTES },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https", "data"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite", "xlink:href"],
  allowProtocolRelative: false,
  // The HTML parser lower-cases names; browsers restore SVG's camelCase (viewBox, linearGradient)
  // when they parse the result, so matching lower-case names loses nothing.
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
  disallowedTagsMode: "discard",
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "noopener noreferrer nofollow" } }),
  },
};

/**
 * Sanitise HTML or SVG from an untrusted notebook (a learner's submission) so it cannot run script
 * in a reader's browser. Styles are kept (inline CSS cannot run script in current browsers).
 */
export function sanitize(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
