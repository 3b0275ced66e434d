/** A cell's live outputs, rendered with the same markup and classes as the outputs the site stored. */
import type { FromKernel } from "../kernel/protocol";
import { inertFragment } from "./sanitize";

function div(className: string): HTMLDivElement {
  const el = document.createElement("div");
  el.className = className;
  return el;
}

/** Appends one kernel message to `container` (stream text joins the previous block of the same stream). */
export function appendOutput(container: HTMLElement, message: FromKernel): void {
  switch (message.t) {
    case "stream": {
      const last = container.lastElementChild;
      if (last?.classList.contains("stream") && last.classList.contains(message.name)) {
        last.querySelector("pre")!.append(message.text);
        return;
      }
      const block = div(`output stream ${message.name}`);
      const pre = document.createElement("pre");
      pre.textContent = message.text;
      block.append(pre);
      container.append(block);
      return;
    }
    case "result": {
      const block = div("output result");
      const pre = document.createElement("pre");
      pre.textContent = message.text;
      block.append(pre);
      container.append(block);
      return;
    }
    case "display": {
      const block = div("output display");
      const [mime, content] = Object.entries(message.data)[0] ?? ["text/plain", ""];
      if (mime === "text/html" || mime === "image/svg+xml") {
        const inner = div(mime === "text/html" ? "html" : "svg");
        inner.append(inertFragment(content));
        block.append(inner);
      } else if (mime === "image/png" || mime === "image/jpeg" || mime === "image/gif") {
        const img = document.createElement("img");
        if (/^[A-Za-z0-9+/=\s]*$/.test(content)) img.src = `data:${mime};base64,${content.replace(/\s/g, "")}`;
        img.alt = "output image";
        block.append(img);
      } else {
        const pre = document.createElement("pre");
        pre.textContent = content;
        block.append(pre);
      }
      container.append(block);
      return;
    }
    case "error": {
      const block = div("output error");
      block.setAttribute("role", "alert");
      const pre = document.createElement("pre");
      pre.textContent = message.traceback.join("\n");
      block.append(pre);
      container.append(block);
      return;
    }
  }
}
