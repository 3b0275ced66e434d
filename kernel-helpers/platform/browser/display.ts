/** Browser backend of viz/display.ts: pictures go to the page through the kernel's display API. */
export { escapeXml, niceStep, colourFor } from "../../viz/display";

interface TslabDisplay {
  html(html: string): void;
}

/** Displays `html` in the running cell of the page (or prints `fallback` in a thread, which has no page). */
export function displayHtml(html: string, fallback: string): boolean {
  const tslab = (globalThis as unknown as { require(name: string): { display?: TslabDisplay } | undefined }).require("tslab");
  if (tslab?.display) {
    tslab.display.html(html);
    return true;
  }
  process.stdout.write(`${fallback}\n`);
  return false;
}
