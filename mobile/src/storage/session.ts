import type { StoredSession } from "@carequeue/graphql";

/** A stored session read back, or null when missing or not a session (corrupt, old format). */
export function parseSession(raw: string | null | undefined): StoredSession | null {
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Partial<StoredSession> | null;
    if (
      s &&
      typeof s.accessToken === "string" &&
      typeof s.refreshToken === "string" &&
      typeof s.expiresAt === "string" &&
      s.user &&
      typeof s.user.id === "string"
    ) {
      return s as StoredSession;
    }
  } catch {
    // fall through: start signed out
  }
  return null;
}
