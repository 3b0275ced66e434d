import Anser, { type AnserJsonEntry } from "anser";
import { escapeHtml, openTag } from "./html.ts";

const BASIC = /^ansi-(bright-)?(black|red|green|yellow|blue|magenta|cyan|white)$/;

/**
 * Apply a terminal's carriage returns and backspaces as JupyterLab does, so a progress line that
 * rewrites itself (`\r[#####     ] 50%`) shows its final state instead of every frame.
 */
export function applyControlChars(text: string): string {
  const lines = text.replace(/\r+\n/g, "\n").split("\n");
  return lines
    .map((line) => {
      let out = "";
      for (const segment of line.split(/\r+/)) out = segment + out.slice(segment.length);
      // A backspace erases the character before it (`\x08` spelled out: `\b` in a regex is a word boundary).
      // eslint-disable-next-line no-control-regex -- matching the backspace control character is the point
      while (/[^\x08]\x08/.test(out)) out = out.replace(/[^\x08]\x08/, "");
      // eslint-disable-next-line no-control-regex -- a backspace with nothing before it to erase
      return out.replace(/\x08/g, "");
    })
    .join("\n");
}

function colour(
  entry: AnserJsonEntry,
  rgb: AnserJsonEntry,
  which: "fg" | "bg",
  classes: string[],
  styles: string[],
): void {
  const name = entry[which];
  if (!name) return;
  if (BASIC.test(name)) classes.push(`${name}-${which}`);
  else if (rgb[which]) styles.push(`${which === "fg" ? "color" : "background-color"}:rgb(${rgb[which]})`);
}

/**
 * Terminal text with ANSI SGR escapes to HTML: the 16 basic colours become classes (`ansi-red-fg`,
 * `ansi-bright-green-bg`) so light and dark themes can tune them; 256-colour and true colours become
 * inline `rgb()`; bold, dim, italic, underline, strikethrough and reverse become classes. All text is
 * HTML-escaped; other escapes (cursor moves, OSC) are dropped.
 */
export function ansiToHtml(text: string): string {
  const plain = applyControlChars(text);
  const withClasses = Anser.ansiToJson(plain, { use_classes: true, remove_empty: true });
  const withRgb = Anser.ansiToJson(plain, { use_classes: false, remove_empty: true });
  let html = "";
  withClasses.forEach((entry, i) => {
    const rgb = withRgb[i] ?? entry;
    const classes: string[] = [];
    const styles: string[] = [];
    colour(entry, rgb, "fg", classes, styles);
    colour(entry, rgb, "bg", classes, styles);
    for (const d of entry.decorations ?? []) classes.push(`ansi-${d}`);
    const content = escapeHtml(entry.content);
    if (!classes.length && !styles.length) html += content;
    else html += `${openTag("span", { class: classes, style: styles.join(";") || undefined })}${content}</span>`;
  });
  return html;
}
