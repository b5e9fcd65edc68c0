// Sessions: where the tokens live (a pluggable TokenStorage) and how they stay fresh (SessionManager).
// Platform-neutral: the web app stores sessions in localStorage, the patient app in secure storage.
import type { Role } from "./generated/graphql";

/** The signed-in account as the session knows it (from login/refreshSession, no extra request). */
export interface SessionUser {
  id: string;
  name: string;
  role: Role;
  facilityID: string | null;
}

/** What a TokenStorage keeps: the AuthPayload of the last login or refresh. */
export interface StoredSession {
  accessToken: string;
  /** Opaque; single use: refreshSession rotates it, and presenting a used one revokes the family. */
  refreshToken: string;
  /** When the access token expires (RFC 3339). */
  expiresAt: string;
  user: SessionUser;
  /** The server's idle timeout for this session in seconds; null or absent: none (kiosks). */
  idleTimeoutSeconds?: number | null;
  /**
   * When this device last received the session from the server (ms, the device's clock): the server
   * counts idleness from its last refresh, and so does the web app's idle timer, in every tab.
   */
  refreshedAt?: number;
}

/** Why the last session ended: the server's reason (SESSION_IDLE, SESSION_EXPIRED) or the app's. */
export interface SessionEnd {
  reason: string | null;
  message?: string;
  /** The ended session's idle timeout, for "signed out after N minutes of inactivity". */
  idleTimeoutSeconds?: number | null;
}

/**
 * Where sessions are kept. Every method may be asynchronous (secure storage on a phone is).
 * `exclusive` and `subscribe` are for platforms where several instances share one storage (browser
 * tabs): without `exclusive`, two tabs could refresh with the same token and the server would revoke
 * the session as a replay.
 */
export interface TokenStorage {
  load(): Promise<StoredSession | null> | StoredSession | null;
  save(session: StoredSession | null): Promise<void> | void;
  /** Runs fn while no other instance sharing this storage runs its own (web: navigator.locks). */
  exclusive?<T>(fn: () => Promise<T>): Promise<T>;
  /** Tells about changes made by another instance; returns the unsubscribe function. */
  subscribe?(listener: (session: StoredSession | null) => void): () => void;
}

/** A TokenStorage in memory: tests, and platforms that should not persist sessions. */
export function memoryTokenStorage(initial: StoredSession | null = null): TokenStorage {
  let value = initial;
  return {
    load: () => value,
    save: (s) => {
      value = s;
    },
  };
}

/** Raised by a RefreshFunction when the server refuses the refresh token: the session is over. */
export class SessionExpiredError extends Error {
  /** extensions.reason of the refusal (SESSION_IDLE, SESSION_EXPIRED), when the server gave one. */
  readonly reason: string | null;
  constructor(message = "session expired", reason: string | null = null) {
    super(message);
    this.name = "SessionExpiredError";
    this.reason = reason;
  }
}

/**
 * Trades a refresh token for a new session. It throws SessionExpiredError when the server refuses the
 * token (sign in again) and any other error when the server could not be asked (try again later).
 */
export type RefreshFunction = (refreshToken: string) => Promise<StoredSession>;

export interface SessionManagerOptions {
  storage: TokenStorage;
  refresh: RefreshFunction;
  /** Refresh this long before the access token expires (default 30 s). */
  refreshMarginMs?: number;
  /**
   * Asked before every refresh of the held session; false skips it (the caller keeps the old token and
   * the session). The web app answers false while nobody has touched the page since the last refresh:
   * a refresh is what the server counts as activity, so a tab left open must not send one.
   */
  mayRefresh?: (session: StoredSession) => boolean;
  now?: () => number;
}

type Listener = (session: StoredSession | null) => void;

/**
 * SessionManager owns the current session. accessToken() hands out a token that is not about to
 * expire, refreshing first when needed; refresh() is single-flight, so any number of requests that
 * fail with UNAUTHENTICATED at the same time cause one refreshSession call, and they all retry with
 * its result.
 */
export class SessionManager {
  private session: StoredSession | null = null;
  private inflight: Promise<boolean> | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly storage: TokenStorage;
  private readonly refreshFn: RefreshFunction;
  private readonly margin: number;
  private readonly now: () => number;
  private readonly mayRefresh: (session: StoredSession) => boolean;
  private lastEnd: SessionEnd | null = null;
  private readonly unsubscribeStorage: (() => void) | undefined;
  /** Resolves once the stored session has been read. */
  readonly ready: Promise<void>;

  constructor(options: SessionManagerOptions) {
    this.storage = options.storage;
    this.refreshFn = options.refresh;
    this.margin = options.refreshMarginMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.mayRefresh = options.mayRefresh ?? (() => true);
    this.ready = Promise.resolve()
      .then(() => this.storage.load())
      .then(
        (s) => {
          if (this.session === null) void this.set(s, false);
        },
        () => undefined, // unreadable storage: start signed out
      );
    this.unsubscribeStorage = this.storage.subscribe?.((s) => void this.set(s, false));
  }

  /** The current session, or null when signed out. */
  current(): StoredSession | null {
    return this.session;
  }

  /** Calls listener after every change (sign-in, refresh, sign-out); returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Why the last session of this instance ended (null: it did not, or it was signed out by hand). */
  ended(): SessionEnd | null {
    return this.lastEnd;
  }

  /** Stores a session from login (or verifyPatientCode). */
  async signIn(session: StoredSession): Promise<void> {
    await this.ready;
    this.lastEnd = null;
    await this.set({ ...session, refreshedAt: this.now() }, true);
  }

  /**
   * Forgets the session locally (the caller tells the server with the logout mutation). reason, when
   * the app ends it by itself (SESSION_IDLE), is kept for ended().
   */
  async signOut(reason: string | null = null): Promise<void> {
    await this.ready;
    this.lastEnd = reason ? { reason, idleTimeoutSeconds: this.session?.idleTimeoutSeconds } : null;
    await this.set(null, true);
  }

  /**
   * An access token valid for at least the refresh margin, or null when signed out. Refreshes first
   * when the token is about to expire; if the server cannot be reached it returns the old token and
   * lets the request decide.
   */
  async accessToken(): Promise<string | null> {
    await this.ready;
    const s = this.session;
    if (!s) return null;
    if (Date.parse(s.expiresAt) - this.now() > this.margin) return s.accessToken;
    try {
      await this.refresh(s.accessToken);
    } catch {
      return this.session?.accessToken ?? null;
    }
    return this.session?.accessToken ?? null;
  }

  /**
   * Gets a new access token because `rejected` was refused (or is about to expire). Returns true when
   * a fresh session is in place (possibly refreshed by a concurrent caller or another tab), false when
   * the session is over (signed out). Throws when the server could not be asked.
   */
  refresh(rejected?: string): Promise<boolean> {
    if (this.inflight) return this.inflight;
    const run = async (): Promise<boolean> => {
      await this.ready;
      const held = this.session;
      if (!held) return false;
      if (rejected !== undefined && held.accessToken !== rejected) return true; // already replaced
      const doRefresh = async (): Promise<boolean> => {
        // Another instance sharing the storage may have rotated the token meanwhile: use theirs.
        const stored = await this.storage.load();
        if (!stored) {
          await this.set(null, false);
          return false;
        }
        if (stored.refreshToken !== held.refreshToken) {
          await this.set(stored, false);
          return true;
        }
        if (!this.mayRefresh(held)) return false;
        try {
          const next = await this.refreshFn(held.refreshToken);
          // Saved before the lock is released, so the next tab reads the new refresh token.
          await this.set({ ...next, refreshedAt: this.now() }, true);
          return true;
        } catch (err) {
          if (err instanceof SessionExpiredError) {
            this.lastEnd = { reason: err.reason, message: err.message, idleTimeoutSeconds: held.idleTimeoutSeconds };
            await this.set(null, true);
            return false;
          }
          throw err;
        }
      };
      return this.storage.exclusive ? this.storage.exclusive(doRefresh) : doRefresh();
    };
    this.inflight = run().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Stops listening to the storage. */
  dispose(): void {
    this.unsubscribeStorage?.();
    this.listeners.clear();
  }

  private async set(session: StoredSession | null, persist: boolean): Promise<void> {
    const changed = !sameSession(this.session, session);
    this.session = session;
    if (changed) for (const l of [...this.listeners]) l(session);
    if (persist) await this.storage.save(session);
  }
}

function sameSession(a: StoredSession | null, b: StoredSession | null): boolean {
  if (a === null || b === null) return a === b;
  return a.accessToken === b.accessToken && a.refreshToken === b.refreshToken;
}
