import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveInside, serveSite, type SiteServer } from "../../src/site/serve/serve.ts";

let dir: string;
let server: SiteServer;

/** A raw request (fetch would normalise `..` out of the path before sending it). */
function get(
  pathname: string,
  method = "GET",
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path: pathname, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  const base = await mkdtemp(path.join(os.tmpdir(), "tsnb-serve-"));
  dir = path.join(base, "site");
  await mkdir(path.join(dir, "exercises"), { recursive: true });
  await writeFile(path.join(dir, "index.html"), "<h1>index</h1>");
  await writeFile(path.join(dir, "exercises/index.html"), "<h1>exercises</h1>");
  await writeFile(path.join(dir, "a b.ipynb"), "{}");
  await writeFile(path.join(base, "secret.txt"), "SECRET");
  server = await serveSite({ dir });
});

afterAll(async () => {
  await server.close();
  await rm(path.dirname(dir), { recursive: true, force: true });
});

describe("serveSite", () => {
  it("listens on 127.0.0.1 on a free port and serves files with their types", async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const index = await get("/");
    expect(index).toMatchObject({ status: 200, body: "<h1>index</h1>" });
    expect(index.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(index.headers["cache-control"]).toBe("no-cache");
    const nb = await get("/a%20b.ipynb");
    expect(nb).toMatchObject({ status: 200, body: "{}" });
    expect(nb.headers["content-type"]).toBe("application/x-ipynb+json");
  });

  it("redirects a folder to its trailing slash and serves its index.html", async () => {
    const moved = await get("/exercises");
    expect(moved.status).toBe(301);
    expect(moved.headers["location"]).toBe("/exercises/");
    expect(await get("/exercises/")).toMatchObject({ status: 200, body: "<h1>exercises</h1>" });
  });

  it("never serves a file outside the folder", async () => {
    for (const p of ["/../secret.txt", "/%2e%2e/secret.txt", "/exercises/..%2f..%2fsecret.txt", "/..%5csecret.txt"]) {
      const res = await get(p);
      expect(res.body, p).not.toContain("SECRET");
      expect([400, 404], p).toContain(res.status);
    }
    expect((await get("/%E0%A4%A")).status).toBe(400);
    expect((await get("/a%00b")).status).toBe(400);
  });

  it("answers 404 for a missing file, 405 for a POST, and HEAD without a body", async () => {
    expect((await get("/nope.html")).status).toBe(404);
    const post = await get("/", "POST");
    expect(post.status).toBe(405);
    expect(post.headers["allow"]).toBe("GET, HEAD");
    expect(await get("/", "HEAD")).toMatchObject({ status: 200, body: "" });
  });

  it("refuses a folder without index.html and a port in use, with what to do", async () => {
    await expect(serveSite({ dir: path.dirname(dir) })).rejects.toMatchObject({
      code: "ERR_SITE_MISSING",
      message: expect.stringContaining("build the site first"),
    });
    await expect(serveSite({ dir, port: server.port })).rejects.toMatchObject({
      code: "ERR_PORT_IN_USE",
      message: expect.stringContaining(`port ${server.port}`),
    });
  });
});

describe("resolveInside", () => {
  it("maps URL paths into the root and rejects escapes", () => {
    expect(resolveInside("/srv/site", "/a/b.html?x=1#y")).toBe("/srv/site/a/b.html");
    expect(resolveInside("/srv/site", "/a/")).toBe("/srv/site/a/index.html");
    expect(resolveInside("/srv/site", "/../../etc/passwd")).toBe("/srv/site/etc/passwd");
    expect(resolveInside("/srv/site", "/%00")).toBeUndefined();
  });
});
