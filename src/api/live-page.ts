// GET /live/{id}: a small self-contained page (src/live/page.html, bundled as a text module) that watches one
// match over its WebSocket room. The Content-Security-Policy allows nothing but the page's own inline script and
// style (by SHA-256 hash) and connections to this origin (fetch and the WebSocket).
import { createRoute, z } from "@hono/zod-openapi";
import page from "../live/page.html";
import { createRouter, errorResponses } from "./openapi";
import { idParam } from "./params";

/** `'sha256-…'` source of every inline <script> and <style> body of the page, exactly as the browser hashes it. */
async function inlineHashes(html: string, tag: "script" | "style"): Promise<string[]> {
  const bodies = [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, "g"))].map((m) => m[1] ?? "");
  return Promise.all(
    bodies.map(async (body) => {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
      return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
    }),
  );
}

let policy: Promise<{ script: string; style: string }> | undefined;
const hashes = () =>
  (policy ??= Promise.all([inlineHashes(page, "script"), inlineHashes(page, "style")]).then(([script, style]) => ({
    script: script.join(" "),
    style: style.join(" "),
  })));

/** The page's CSP. `connect-src 'self'` covers ws(s): to this origin in current browsers; older Safari needs it named. */
export async function livePagePolicy(requestUrl: string): Promise<string> {
  const { script, style } = await hashes();
  const url = new URL(requestUrl);
  const ws = `${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}`;
  return [
    "default-src 'none'",
    `script-src ${script}`,
    `style-src ${style}`,
    `connect-src 'self' ${ws}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const livePageRoute = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Live"],
  summary: "A small page that follows one match live (HTML)",
  security: [],
  request: { params: z.object({ id: idParam }) },
  responses: {
    200: { description: "The page; it connects to /v1/matches/{id}/live.", content: { "text/html": { schema: z.string() } } },
    ...errorResponses(400),
  },
});

export const livePageRoutes = createRouter().openapi(livePageRoute, async (c) => {
  return c.body(page, 200, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": await livePagePolicy(c.req.url),
    "Cache-Control": "public, max-age=300",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  });
});
