/** Browser backend of runtime/bundle.ts: the worker-side primitives are part of helpers.js already. */
export function wireBundle(): string | undefined {
  return "wire-worker";
}
