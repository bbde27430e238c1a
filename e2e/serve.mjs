// A tiny static file server for the built site, on loopback only.
//
//   node serve.mjs DIR [PORT]      PORT 0 (the default) picks a free port
//
// It prints "listening http://127.0.0.1:PORT/" once it accepts connections, so a caller can
// read the port from its first line. Pages get the same Content-Security-Policy header that
// netlify.toml gives production, so the browser checks see the site as visitors do. A missing
// file is answered with 404.html and status 404, as Netlify does, and text is gzipped for a
// client that accepts it, as Netlify does.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const [dirArg, portArg = "0"] = process.argv.slice(2);
if (!dirArg) {
  console.error("usage: node serve.mjs DIR [PORT]");
  process.exit(2);
}
const root = resolve(dirArg);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/atom+xml; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

// The production CSP, read from netlify.toml so the two cannot drift apart.
function productionCSP() {
  const toml = fileURLToPath(new URL("../netlify.toml", import.meta.url));
  try {
    const m = /Content-Security-Policy\s*=\s*"([^"]+)"/.exec(readFileSync(toml, "utf8"));
    if (m) return m[1];
  } catch {
    /* no netlify.toml: serve without a CSP */
  }
  return "";
}
const csp = productionCSP();

async function file(path) {
  try {
    const st = await stat(path);
    if (st.isDirectory()) return file(join(path, "index.html"));
    if (!st.isFile()) return null;
    return { path, body: await readFile(path) };
  } catch {
    return null;
  }
}

const server = createServer(async (req, res) => {
  try {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end("bad request\n");
      return;
    }
    const full = normalize(join(root, pathname));
    let status = 200;
    let found = full === root || full.startsWith(root + sep) ? await file(full) : null;
    if (!found) {
      status = 404;
      found = await file(join(root, "404.html"));
      if (!found) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
        return;
      }
    }
    const type = TYPES[extname(found.path).toLowerCase()] || "application/octet-stream";
    let body = found.body;
    const headers = {
      "Content-Type": type,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      Vary: "Accept-Encoding",
    };
    // Text compressed as Netlify compresses it, so Lighthouse weighs the pages visitors get.
    if (/^(text\/|application\/(json|atom)|image\/svg)/.test(type) && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
      body = gzipSync(body);
      headers["Content-Encoding"] = "gzip";
    }
    headers["Content-Length"] = body.length;
    if (csp) headers["Content-Security-Policy"] = csp;
    res.writeHead(status, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  } catch (err) {
    res.writeHead(500).end(String(err) + "\n");
  }
});

server.listen(Number(portArg), "127.0.0.1", () => {
  console.log(`listening http://127.0.0.1:${server.address().port}/`);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
