// Relay connections (every list entgql generates) have nullable edges and nodes; screens want arrays.

type Connection<T> = { edges?: readonly ({ node?: T | null } | null)[] | null } | null | undefined;

/** The non-null nodes of a connection, in order. */
export function nodes<T>(connection: Connection<T>): T[] {
  const out: T[] = [];
  for (const e of connection?.edges ?? []) if (e?.node) out.push(e.node);
  return out;
}
