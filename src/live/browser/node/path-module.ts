import * as p from "./path";
/** The `node:path` module object. */
export const path = { ...p.posix, posix: p.posix, default: undefined };
