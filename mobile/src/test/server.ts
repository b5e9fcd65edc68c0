// A fake CareQueue server for the client's fetch and WebSocket: answers by operation name, records
// every request, and pushes subscription events on demand.

type Json = Record<string, unknown>;
export type Answer =
  | { data: unknown; errors?: { message: string; extensions?: { code: string } }[] }
  | { errors: { message: string; extensions?: { code: string } }[]; data?: null }
  | { status: number; body: unknown }
  | { networkError: true };
export type Handler = (variables: Json, request: { authorization: string | null }) => Answer | Promise<Answer>;

export interface Request {
  operationName: string;
  variables: Json;
  authorization: string | null;
}

/** A GraphQL error answer with a server code. */
export const gqlError = (code: string, message = code.toLowerCase()) => ({
  data: null,
  errors: [{ message, extensions: { code } }],
});

export function fakeServer(handlers: Record<string, Handler | Answer> = {}) {
  const requests: Request[] = [];
  const routes = new Map<string, Handler | Answer>(Object.entries(handlers));

  const fetchImpl = (async (_url: unknown, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { operationName: string; variables?: Json };
    const headers = new Headers(init?.headers);
    const request: Request = { operationName: body.operationName, variables: body.variables ?? {}, authorization: headers.get("authorization") };
    requests.push(request);
    const route = routes.get(body.operationName);
    if (!route) throw new Error(`fake server: no answer for ${body.operationName}`);
    const answer = typeof route === "function" ? await route(request.variables, request) : route;
    if ("networkError" in answer) throw new TypeError("Network request failed");
    const [status, json] = "status" in answer ? [answer.status, answer.body] : [200, answer];
    return new Response(JSON.stringify(json), { status, headers: { "content-type": "application/json" } });
  }) as typeof fetch;

  return {
    fetch: fetchImpl,
    requests,
    /** Requests of one operation, in order. */
    calls: (operationName: string) => requests.filter((r) => r.operationName === operationName),
    /** Changes (or adds) the answer to an operation. */
    on(operationName: string, handler: Handler | Answer) {
      routes.set(operationName, handler);
    },
  };
}

export type FakeServer = ReturnType<typeof fakeServer>;

/**
 * A WebSocket speaking graphql-transport-ws as the server would: acknowledges every connection,
 * records subscriptions, and sends events when a test calls FakeSockets.push.
 */
export function fakeSockets() {
  const open = new Set<FakeWebSocket>();
  const subscriptions: { socket: FakeWebSocket; id: string; operationName: string; variables: Json }[] = [];

  class FakeWebSocket {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    readyState = FakeWebSocket.CONNECTING;
    protocol = "graphql-transport-ws";
    onopen: (() => void) | null = null;
    onclose: ((e: { code: number; reason: string }) => void) | null = null;
    onerror: ((e: unknown) => void) | null = null;
    onmessage: ((e: { data: string }) => void) | null = null;
    constructor(readonly url: string) {
      open.add(this);
      setTimeout(() => {
        if (this.readyState !== FakeWebSocket.CONNECTING) return;
        this.readyState = FakeWebSocket.OPEN;
        this.onopen?.();
      }, 0);
    }
    send(raw: string) {
      const msg = JSON.parse(raw) as { type: string; id?: string; payload?: { operationName?: string; variables?: Json } };
      if (msg.type === "connection_init") this.reply({ type: "connection_ack" });
      else if (msg.type === "subscribe") {
        subscriptions.push({ socket: this, id: msg.id!, operationName: msg.payload?.operationName ?? "", variables: msg.payload?.variables ?? {} });
      } else if (msg.type === "complete") {
        const i = subscriptions.findIndex((s) => s.socket === this && s.id === msg.id);
        if (i >= 0) subscriptions.splice(i, 1);
      }
    }
    close(code = 1000, reason = "") {
      if (this.readyState === FakeWebSocket.CLOSED) return;
      this.readyState = FakeWebSocket.CLOSED;
      open.delete(this);
      for (let i = subscriptions.length - 1; i >= 0; i--) if (subscriptions[i]!.socket === this) subscriptions.splice(i, 1);
      setTimeout(() => this.onclose?.({ code, reason }), 0);
    }
    reply(msg: Json) {
      setTimeout(() => {
        if (this.readyState === FakeWebSocket.OPEN) this.onmessage?.({ data: JSON.stringify(msg) });
      }, 0);
    }
  }

  return {
    WebSocket: FakeWebSocket,
    /** The live subscriptions (operation name and variables). */
    subscriptions: () => subscriptions.map(({ operationName, variables }) => ({ operationName, variables })),
    /** Sends an event to every subscription of this operation whose variables match. */
    push(operationName: string, variables: Json, data: unknown): number {
      const targets = subscriptions.filter(
        (s) => s.operationName === operationName && Object.entries(variables).every(([k, v]) => s.variables[k] === v),
      );
      for (const s of targets) s.socket.reply({ type: "next", id: s.id, payload: { data } });
      return targets.length;
    },
    /** Ends those subscriptions with a GraphQL error (the server refused the operation). */
    fail(operationName: string, variables: Json, code: string): number {
      const targets = subscriptions.filter(
        (s) => s.operationName === operationName && Object.entries(variables).every(([k, v]) => s.variables[k] === v),
      );
      for (const s of targets) {
        s.socket.reply({ type: "error", id: s.id, payload: [{ message: code.toLowerCase(), extensions: { code } }] });
        subscriptions.splice(subscriptions.indexOf(s), 1);
      }
      return targets.length;
    },
  };
}

export type FakeSockets = ReturnType<typeof fakeSockets>;
