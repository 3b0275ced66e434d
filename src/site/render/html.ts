/**
 * HTML escaping for the page templates and renderers. No dependency: a page served wholly from the
 * render cache loads this and no highlighter.
 */

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
