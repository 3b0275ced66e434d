/**
 * The site's service worker (the coi-serviceworker technique): it answers every request of the site through
 * `fetch` and adds the headers of cross-origin isolation (COOP same-origin, COEP require-corp, CORP), so a
 * site copied to a static host that sets no headers still gets SharedArrayBuffer. Offline-safe: it caches
 * nothing and fetches nothing but what the page asked for.
 */
interface FetchEvent extends Event {
  request: Request;
  respondWith(response: Promise<Response>): void;
}
interface SwScope {
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(name: string, listener: (event: Event & { waitUntil(p: Promise<unknown>): void }) => void): void;
}
const sw = globalThis as unknown as SwScope;

sw.addEventListener("install", () => void sw.skipWaiting());
sw.addEventListener("activate", (event) => event.waitUntil(sw.clients.claim()));
sw.addEventListener("fetch", (event) => {
  const { request } = event as unknown as FetchEvent;
  // A request the browser may only answer from its cache, across origins, cannot be refetched here.
  if (request.cache === "only-if-cached" && request.mode !== "same-origin") return;
  if (new URL(request.url).origin !== location.origin) return;
  (event as unknown as FetchEvent).respondWith(
    fetch(request).then((response) => {
      if (response.status === 0) return response;
      const headers = new Headers(response.headers);
      headers.set("Cross-Origin-Opener-Policy", "same-origin");
      headers.set("Cross-Origin-Embedder-Policy", "require-corp");
      headers.set("Cross-Origin-Resource-Policy", "same-origin");
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
