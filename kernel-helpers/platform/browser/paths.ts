/** Browser backend of runtime/paths.ts: the worker runtimes live inside helpers.js, found by file name. */
export const runtimeDir = "/kernel-helpers/runtime";

export function runtimeFile(name: string): string {
  return `${runtimeDir}/${name}`;
}
