// MatchRoom: one Durable Object per live match (SQLite-backed, WebSocket Hibernation API). This first version
// accepts sockets and answers pings; the live protocol (snapshot, seq'd changes, replay) is the live issue's work.
import { DurableObject } from "cloudflare:workers";

export class MatchRoom extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response(JSON.stringify({ type: "about:blank", title: "Upgrade required", status: 426 }), {
        status: 426,
        headers: { "Content-Type": "application/problem+json", Upgrade: "websocket" },
      });
    }
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    // Pings are answered by the runtime without waking the object.
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // A client's bare close() arrives as 1005, which may not be sent back.
    ws.close(code === 1005 ? 1000 : code, "bye");
  }
}
