/** What the browser says when a lesson asks for an operating-system process. */
import { HelperError } from "../../errors";

export function needsOs(what: string): HelperError {
  return new HelperError(
    "ERR_NEEDS_OS",
    `${what} needs an operating system to start processes, which a page in your browser cannot do: run this cell in JupyterLab or with \`npx tsnb run\` (threads, pools of threads and every shared-memory primitive do run here).`,
  );
}
