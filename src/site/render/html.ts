/**
 * The two doors through which notebook data enters markup as something other than element text:
 * {@link attributes} builds every attribute list and {@link embedData} every `data:` URL. Every
 * renderer (cells, outputs, markdown-it's tokens, ANSI spans, the page around them) goes through them,
 * so a value can never close its quote, start a handler, or smuggle a `javascript:` URL in: the routes
 * nbconvert had to close one by one for CVE-2021-32862 (image data, width/height, file names, cell
 * tags, attachment names) have one place to be right. No dependency: a page served wholly from the
 * render cache loads this and no highlighter.
 */

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A value {@link attributes} accepts: a string or finite number is written escaped; `true` writes the
 * bare name; `false`, `null`, `undefined` and non-finite numbers drop the attribute; an array is a
 * token list (`class`), whose tokens holding whitespace or nothing are dropped, not split.
 */
export type AttributeValue = string | number | boolean | null | undefined | readonly string[];

/** Attribute names the builder writes: lower-case letters, digits, `-` and one `:` (xlink:href), never an `on*` handler. */
const NAME = /^[a-z][a-z0-9-]*(?::[a-z][a-z0-9-]*)?$/;
/** Attributes whose value the browser follows as a URL. */
const URL_ATTRIBUTES = new Set(["href", "src", "xlink:href", "action", "formaction", "poster", "cite", "srcset", "background"]);
/** Attributes a browser parses as code or as a style sheet fragment that may load a URL. */
const CODE_ATTRIBUTES = new Set(["srcdoc"]);

/**
 * Whether a URL is one a page may point at: relative (`03-locks.html`, `#cell-2`, `../assets/x.css`),
 * `http(s):`, `mailto:`, or an image `data:` URL whose payload is valid (as {@link embedData} makes).
 * Browsers ignore tabs and newlines inside a scheme and leading control characters and spaces
 * (`jav&#9;ascript:`), so those are removed before the scheme is read.
 */
export function isSafeUrl(url: string): boolean {
  // eslint-disable-next-line no-control-regex -- stripping the control characters browsers ignore is the point
  const normalised = url.replace(/^[\u0000-\u0020]+/, "").replace(/[\t\n\r]/g, "");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(normalised)?.[1]?.toLowerCase();
  if (scheme === undefined) return !normalised.startsWith("//");
  if (scheme === "http" || scheme === "https" || scheme === "mailto") return true;
  if (scheme === "data") return isImageDataUrl(normalised);
  return false;
}

/** A token of a `class` list: no whitespace (it would split), not empty. */
const TOKEN = /^[^\s]+$/;

/**
 * Attributes as a string to put after a tag name: ` class="a b" width="40"` (each with its leading
 * space; `""` when none survive). Values are escaped; an attribute whose name is not a plain name, or
 * names an event handler (`on*`), or a URL attribute whose value is not {@link isSafeUrl}, is dropped.
 * @example
 * `<img${attributes({ src: embedData("image/png", data), alt: filename, width })}>`
 */
export function attributes(attrs: Readonly<Record<string, AttributeValue>>): string {
  let out = "";
  for (const [rawName, value] of Object.entries(attrs)) {
    const name = rawName.toLowerCase();
    if (!NAME.test(name) || name.startsWith("on") || CODE_ATTRIBUTES.has(name)) continue;
    if (value === undefined || value === null || value === false) continue;
    if (value === true) {
      out += ` ${name}`;
      continue;
    }
    let text: string;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) continue;
      text = String(value);
    } else if (typeof value === "string") text = value;
    else {
      const tokens = value.filter((t) => TOKEN.test(t));
      if (!tokens.length) continue;
      text = tokens.join(" ");
    }
    if (URL_ATTRIBUTES.has(name) && !isSafeUrl(text)) continue;
    out += ` ${name}="${escapeHtml(text)}"`;
  }
  return out;
}

/** An opening tag with {@link attributes}: `openTag("div", { class: ["cell", "code"] })` is `<div class="cell code">`. */
export function openTag(tag: string, attrs: Readonly<Record<string, AttributeValue>> = {}): string {
  if (!/^[a-z][a-z0-9-]*$/.test(tag)) throw new TypeError(`Expected a lower-case tag name, got \`${tag}\``);
  return `<${tag}${attributes(attrs)}>`;
}

/** An image media type: `image/png`, `image/svg+xml`, `image/vnd.microsoft.icon` (RFC 6838 names). */
const IMAGE_MIME = /^image\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;
/** Standard base64 (what nbformat stores), padded. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isImageDataUrl(url: string): boolean {
  const m = /^data:([^;,]+)(;charset=utf-8)?(;base64)?,(.*)$/is.exec(url);
  if (!m || !IMAGE_MIME.test(m[1]!)) return false;
  // An SVG as text is percent-encoded by embedData; anything else must be base64.
  if (!m[3]) return m[1]!.toLowerCase() === "image/svg+xml" && !/["<>\s]/.test(m[4]!);
  return BASE64.test(m[4]!);
}

/**
 * A `data:` URL for an image a notebook carries (an output's `image/png`, a markdown cell's
 * attachment), or undefined when the data is not what it claims: the media type must be an image
 * type, binary data valid base64 (line breaks allowed, as nbformat may split it), an SVG a string.
 * The result can only ever be an image source: `"><script>` in the data, or `text/html` as the type,
 * gives undefined, and the caller shows no image.
 * @example
 * embedData("image/png", "iVBORw0KGgo=") // "data:image/png;base64,iVBORw0KGgo="
 * embedData("image/png", '"><script>alert(1)</script>') // undefined
 */
export function embedData(mime: string, value: unknown): string | undefined {
  const text = Array.isArray(value) && value.every((v) => typeof v === "string") ? value.join("") : value;
  if (typeof text !== "string" || !IMAGE_MIME.test(mime)) return undefined;
  const type = mime.toLowerCase();
  if (type === "image/svg+xml") {
    // nbformat stores SVG as text; encoded, it cannot break out of the attribute, and an <img> runs no SVG script.
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  }
  const data = text.replace(/[\r\n\t ]/g, "");
  if (!data || !BASE64.test(data)) return undefined;
  return `data:${type};base64,${data}`;
}

/**
 * A site-relative file path as a relative URL, each segment percent-encoded: a notebook named
 * `a#b.ipynb` links to its own page, and one named `javascript:x.ipynb` to the file
 * `javascript%3Ax.html`, never to a script.
 */
export function pathUrl(file: string): string {
  return file.split("/").map(encodeURIComponent).join("/");
}
