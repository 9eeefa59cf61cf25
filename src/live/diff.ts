// What changed between two states of a live match, as protocol messages without their `seq` (the room numbers them).
// Pure and deterministic: status first, then score, then events in ascending id order.
//
// Only what the protocol has a message for is reported: the status, the score (full time and half time), and each
// event (added / changed / removed, keyed by its stable id). Other match fields (minute alone, kickoff, venue, …)
// change the stored state — the next snapshot shows them — but produce no message.
import type { ChangeBody, LiveEvent, LiveMatchState } from "./protocol";

/**
 * The changes that turn `prev` into `next`. With no `prev` (a room's first state) there is no baseline and nothing
 * is reported: that state travels as a `snapshot`. Equal states give `[]`.
 */
export function diffStates(prev: LiveMatchState | null, next: LiveMatchState): ChangeBody[] {
  if (!prev) return [];
  const out: ChangeBody[] = [];
  const minute = next.match.minute;
  if (prev.match.status !== next.match.status) out.push({ type: "status", status: next.match.status, minute });
  if (!deepEqual(prev.match.score, next.match.score)) out.push({ type: "score", score: next.match.score, minute });

  const before = byId(prev.events);
  const after = byId(next.events);
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => a - b);
  for (const id of ids) {
    const was = before.get(id);
    const now = after.get(id);
    if (!was && now) out.push({ type: "event", action: "added", event: now });
    else if (was && !now) out.push({ type: "event", action: "removed", event: was });
    else if (was && now && !deepEqual(was, now)) out.push({ type: "event", action: "changed", event: now });
  }
  return out;
}

function byId(events: LiveEvent[]): Map<number, LiveEvent> {
  const map = new Map<number, LiveEvent>();
  for (const e of events) map.set(e.id, e);
  return map;
}

/** Structural equality of JSON-like values; key order does not matter (a state may have been rebuilt by hand). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  // A key holding `undefined` counts as absent, as it would after a JSON round trip.
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]));
}
