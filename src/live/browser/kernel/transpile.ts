/**
 * TypeScript to JavaScript for a cell, in the kernel worker: sucrase's TypeScript transform (types removed,
 * line numbers kept, imports kept even when this cell does not use them: a later cell may).
 */
import { transform } from "sucrase";

export function stripTypes(source: string): string {
  return transform(source, {
    transforms: ["typescript"],
    disableESTransforms: true,
    keepUnusedImports: true,
  }).code;
}
