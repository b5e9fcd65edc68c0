// The offline action queue: staff actions (check in, call next, start, ...) are written to storage
// first and sent from there, strictly in order and one at a time, each with its idempotency key. When
// the network fails the queue stops and tries again later (backoff, or when the platform says the
// connection is back); when the server refuses an action that nobody is waiting for any more, the
// action leaves the queue and is kept as a failure for the user to read and dismiss.
//
// Platform-neutral: storage is an interface (the web app keeps it in IndexedDB, tests in memory), and
// so is how an action is sent and how an error is judged.
import type { Watchable } from "../client";
import { newIdempotencyKey } from "../idempotency";

/** What the user should see about an action besides its kind (ticket code, patient, queue). */
export interface ActionMeta {
  code?: string;
  patient?: string;
  queue?: string;
}

/** An action waiting in the queue. Plain data: it is stored as is (structured clone / JSON). */
export interface QueuedAction<P = unknown> {
  /** Unique per action; also the handle the caller uses (release). */
  id: string;
  /** What to do (e.g. "checkIn"); the executor knows the kinds. */
  kind: string;
  /** The action's arguments, without the idempotency key. */
  payload: P;
  /** Sent with every attempt: a replay of an action the server already did returns its result. */
  idempotencyKey: string;
  /** When the user did it (RFC 3339). */
  createdAt: string;
  meta?: ActionMeta;
}

/** An action the server refused when it was replayed. */
export interface FailedAction {
  /** The action's id. */
  id: string;
  action: QueuedAction;
  /** The server's error code (BAD_USER_INPUT, CONFLICT, ...). */
  code: string;
  /** The server's message for a person, when it gave one. */
  message?: string;
  failedAt: string;
}

/**
 * Where the queue lives. Implementations keep pending actions in the order they were added and must
 * survive a restart of the app (that is their point). Every method may be asynchronous.
 */
export interface OfflineStorage {
  /** The pending actions, oldest first. */
  pending(): Promise<QueuedAction[]>;
  /** Appends an action at the end of the queue. */
  add(action: QueuedAction): Promise<void>;
  /** Takes a pending action out of the queue (it was done, or its caller saw it fail). */
  remove(id: string): Promise<void>;
  /** Atomically takes the pending action failure.id out of the queue and keeps the failure. */
  fail(failure: FailedAction): Promise<void>;
  /** The kept failures, oldest first. */
  failed(): Promise<FailedAction[]>;
  /** Forgets a failure (the user has read it). */
  dismiss(id: string): Promise<void>;
  /** Runs fn while no other instance sharing this storage runs its own replay (web: navigator.locks). */
  exclusive?<T>(fn: () => Promise<T>): Promise<T>;
  /** Tells about changes made by another instance (another tab); returns the unsubscribe function. */
  subscribe?(listener: () => void): () => void;
}

/** How the queue treats an error: "retry" keeps the action and stops (network), "reject" drops it. */
export type ErrorVerdict = "retry" | "reject";

/**
 * What became of one action of a batch: done (the server's result), failed (the server's error, judged
 * by classify like a single action's), or skipped (not tried: `retry` to send it again, else kept as
 * refused with its error, like a failure).
 */
export type BatchOutcome =
  | { status: "done"; result: unknown }
  | { status: "failed"; error: unknown }
  | { status: "skipped"; error: unknown; retry: boolean };

/**
 * An action sent from the queue after its caller stopped waiting (it was saved offline, or its screen
 * went away) and done by the server: what the screen that made it has to be told, since nobody
 * received the result.
 */
export interface ReplayedAction {
  /** The action's id. */
  id: string;
  action: QueuedAction;
  /** The server's result, as execute or executeBatch gave it. */
  result: unknown;
  replayedAt: string;
}

/** What became of an action sent after its caller stopped waiting: done, or refused (and kept). */
export type ReplayEvent = { status: "done"; replayed: ReplayedAction } | { status: "refused"; failure: FailedAction };

/** How many done replays the state keeps (oldest dropped first) while no screen acknowledges them. */
export const MAX_REPLAYED = 50;

/** What a caller of submit learns: the server's result, or that the action waits in the queue. */
export type SubmitOutcome<R = unknown> = { status: "done"; result: R } | { status: "queued"; action: QueuedAction };

/** What a screen shows about the queue. */
export interface OfflineQueueState {
  /** Loaded from storage (until then the lists are empty). */
  ready: boolean;
  pending: readonly QueuedAction[];
  failed: readonly FailedAction[];
  /**
   * Actions done by the server after their caller stopped waiting, oldest first, until acknowledged
   * (in memory only; at most MAX_REPLAYED). Refused ones are in failed.
   */
  replayed: readonly ReplayedAction[];
  /** An action is being sent right now. */
  sending: boolean;
  /** When the next automatic attempt is due (ms since the epoch), while the network is failing. */
  retryAt: number | null;
}

export interface OfflineQueueOptions {
  storage: OfflineStorage;
  /** Sends one action (with its idempotency key) and resolves with the server's result. */
  execute(action: QueuedAction): Promise<unknown>;
  /**
   * Sends several actions in one request, in order, resolving with one outcome per action in the same
   * order (the web app: syncPush). When set, a replay with more than one pending action that
   * `batchable` accepts sends them this way, up to batchSize at a time; a batch refused as a whole (not
   * a network failure) is retried one action at a time, so the action at fault is found and kept.
   */
  executeBatch?(actions: readonly QueuedAction[]): Promise<BatchOutcome[]>;
  /** Which actions executeBatch takes (default: all). */
  batchable?(action: QueuedAction): boolean;
  /** Most actions in one batch (default 200). */
  batchSize?: number;
  /** Whether an error means "try again later" (network) or "the server said no". */
  classify(error: unknown): ErrorVerdict;
  /** The code and message kept for a refused action. */
  describe(error: unknown): { code: string; message?: string };
  /** Whether the platform believes it is online (default: always); offline actions are not tried. */
  online?: () => boolean;
  /** First retry delay after a network failure (default 2 s); it doubles up to maxRetryMs. */
  initialRetryMs?: number;
  /** Longest delay between automatic retries (default 60 s). */
  maxRetryMs?: number;
  /** An attempt that takes longer counts as a network failure (default 15 s). */
  attemptTimeoutMs?: number;
  /**
   * Actions older than this are not sent any more but kept as failures with code EXPIRED (default:
   * never): a check-in saved before a sign-out must not reach the queue the next morning.
   */
  maxAgeMs?: number;
  /** Defaults: newIdempotencyKey, Date.now, Math.random (jitter). */
  newKey?: () => string;
  now?: () => number;
  random?: () => number;
}

/** What submit needs: the rest (id, key, time) is filled in. */
export interface ActionInput<P = unknown> {
  kind: string;
  payload: P;
  /** Reuse the key of an earlier attempt of the same action (a form's retry); default: a new one. */
  idempotencyKey?: string;
  /** Choose the action's id yourself (to release it later); default: a new one. */
  id?: string;
  meta?: ActionMeta;
}

/** The code of a failure kept because the action waited longer than maxAgeMs. */
export const EXPIRED = "EXPIRED";

/** An attempt that outlived attemptTimeoutMs: treated like a network failure. */
export class AttemptTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "AttemptTimeoutError";
  }
}

/** The storage refused the action (full, unavailable): nothing was queued; send it directly instead. */
export class OfflineStorageError extends Error {
  constructor(cause: unknown) {
    super(`offline storage: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "OfflineStorageError";
  }
}

/** What a workflow hook rejects with when its action was queued instead of done (offline). */
export class ActionQueuedError extends Error {
  readonly action: QueuedAction;
  constructor(action: QueuedAction) {
    super("saved on this device: it will be sent when the connection returns");
    this.name = "ActionQueuedError";
    this.action = action;
  }
}

/** Whether an action's rejection only means "queued, will be sent later". */
export function isActionQueued(error: unknown): error is ActionQueuedError {
  return error instanceof ActionQueuedError;
}

interface Waiter {
  resolve(outcome: SubmitOutcome): void;
  reject(error: unknown): void;
  action: QueuedAction;
  /** The action has reached storage (until then a replay cannot have seen it). */
  stored: boolean;
}

/**
 * OfflineQueue sends actions in the order they were submitted, one at a time. A caller of submit
 * waits for its action's outcome while the network works: the result, or the server's error (then
 * the action is simply dropped: the caller shows the error). When the network fails, every waiting
 * caller is told "queued", and from then on a refusal by the server is kept in `failed` instead.
 */
export class OfflineQueue implements Watchable<OfflineQueueState> {
  /** Resolves once the queue has read its storage. */
  readonly ready: Promise<void>;

  private readonly o: Required<Omit<OfflineQueueOptions, "storage" | "execute" | "classify" | "describe" | "executeBatch">> &
    Pick<OfflineQueueOptions, "storage" | "execute" | "classify" | "describe" | "executeBatch">;
  private state: OfflineQueueState = { ready: false, pending: [], failed: [], replayed: [], sending: false, retryAt: null };
  private readonly listeners = new Set<() => void>();
  private readonly replayListeners = new Set<(event: ReplayEvent) => void>();
  private readonly waiters = new Map<string, Waiter>();
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private reads = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly unsubscribeStorage: (() => void) | undefined;

  constructor(options: OfflineQueueOptions) {
    this.o = {
      online: () => true,
      initialRetryMs: 2_000,
      maxRetryMs: 60_000,
      attemptTimeoutMs: 15_000,
      maxAgeMs: Number.POSITIVE_INFINITY,
      newKey: newIdempotencyKey,
      now: Date.now,
      random: Math.random,
      batchable: () => true,
      batchSize: 200,
      ...options,
    };
    // Unreadable storage leaves the lists empty; submit then fails and the caller sends directly.
    this.ready = this.refresh()
      .catch(() => undefined)
      .then(() => this.set({ ready: true }));
    this.unsubscribeStorage = this.o.storage.subscribe?.(() => void this.refresh());
  }

  get(): OfflineQueueState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stores the action, then sends it after everything submitted before it. Resolves with
   * {status: "done", result} when the server did it, or {status: "queued"} when it waits for the
   * network (offline, or the network failed meanwhile); rejects with the server's error when the
   * server refused it while the caller was still waiting. Rejects with OfflineStorageError when the
   * action could not be stored.
   */
  async submit<P>(input: ActionInput<P>): Promise<SubmitOutcome> {
    const action: QueuedAction<P> = {
      id: input.id ?? this.o.newKey(),
      kind: input.kind,
      payload: input.payload,
      idempotencyKey: input.idempotencyKey ?? this.o.newKey(),
      createdAt: new Date(this.o.now()).toISOString(),
      ...(input.meta ? { meta: input.meta } : {}),
    };
    await this.ready;
    // The waiter exists before the action is stored, so a replay already running cannot send the
    // action without telling its caller.
    let waiter: Waiter | undefined;
    const outcome =
      !this.disposed && this.o.online()
        ? new Promise<SubmitOutcome>((resolve, reject) => {
            waiter = { resolve, reject, action, stored: false };
            this.waiters.set(action.id, waiter);
          })
        : null;
    try {
      await this.o.storage.add(action);
    } catch (err) {
      this.waiters.delete(action.id);
      throw new OfflineStorageError(err);
    }
    if (waiter) waiter.stored = true;
    await this.refresh();
    if (!outcome) return { status: "queued", action };
    void this.flush();
    return outcome;
  }

  /**
   * Stops waiting for an action (its screen went away): the caller's promise resolves "queued", and
   * should the server refuse the action later, the refusal is kept in `failed`.
   */
  release(id: string): void {
    const w = this.waiters.get(id);
    if (!w) return;
    this.waiters.delete(id);
    w.resolve({ status: "queued", action: w.action });
  }

  /** Sends what is pending now (the connection is back, or the user asked); resets the backoff. */
  flush(): Promise<void> {
    this.clearTimer();
    if (this.disposed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.replay();
        } while (this.again && !this.disposed && this.state.retryAt === null);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /**
   * Calls listener for every action the server settled after its caller stopped waiting (a replay):
   * done or refused. Returns the unsubscribe function.
   */
  onReplay(listener: (event: ReplayEvent) => void): () => void {
    this.replayListeners.add(listener);
    return () => this.replayListeners.delete(listener);
  }

  /** Forgets a replayed action (its screen has shown the result). */
  acknowledge(id: string): void {
    if (this.state.replayed.some((r) => r.id === id)) this.set({ replayed: this.state.replayed.filter((r) => r.id !== id) });
  }

  /** Forgets a kept failure. */
  async dismiss(id: string): Promise<void> {
    await this.o.storage.dismiss(id);
    await this.refresh();
  }

  /** Stops retrying and listening; waiting callers are told "queued" (their actions stay stored). */
  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.unsubscribeStorage?.();
    this.releaseAll();
    this.listeners.clear();
    this.replayListeners.clear();
  }

  private async replay(): Promise<void> {
    const run = async () => {
      // After a batch refused as a whole, the next action goes alone: its own answer says what is wrong.
      let oneByOne = false;
      for (;;) {
        if (this.disposed) return;
        if (!this.o.online()) {
          this.releaseAll();
          return;
        }
        const pending = await this.o.storage.pending();
        const [head] = pending;
        if (!head) {
          this.failures = 0;
          this.set({ retryAt: null });
          return;
        }
        if (this.o.now() - Date.parse(head.createdAt) > this.o.maxAgeMs) {
          await this.expire(head);
          continue;
        }
        const batch = oneByOne ? [] : this.batchFrom(pending);
        oneByOne = false;
        if (batch.length > 1) {
          const verdict = await this.sendBatch(batch);
          if (verdict === "stop") return;
          if (verdict === "oneByOne") oneByOne = true;
          continue;
        }
        this.set({ sending: true });
        let result: unknown;
        try {
          result = await this.attempt(head);
        } catch (err) {
          this.set({ sending: false });
          if (err instanceof AttemptTimeoutError || this.o.classify(err) === "retry") {
            this.scheduleRetry();
            this.releaseAll();
            return;
          }
          await this.refuse(head, err);
          continue;
        }
        this.set({ sending: false, retryAt: null });
        this.failures = 0;
        await this.done(head, result);
      }
    };
    try {
      await (this.o.storage.exclusive ? this.o.storage.exclusive(run) : run());
    } finally {
      this.set({ sending: false });
      // Another instance may have sent (or refused) an action this one was waiting for. Only
      // actions stored before the storage is read again can be judged by what it returns.
      const stored = [...this.waiters].filter(([, w]) => w.stored);
      const pending = new Set((await this.refresh()).map((a) => a.id));
      for (const [id, w] of stored) {
        if (this.waiters.get(id) !== w || (pending.has(id) && !this.disposed && this.o.online())) continue;
        this.waiters.delete(id);
        w.resolve({ status: "queued", action: w.action });
      }
    }
  }

  /** The leading run of pending actions one batch takes: batchable and not expired, at most batchSize. */
  private batchFrom(pending: readonly QueuedAction[]): QueuedAction[] {
    if (!this.o.executeBatch) return [];
    const out: QueuedAction[] = [];
    for (const a of pending) {
      if (out.length >= this.o.batchSize || !this.o.batchable(a) || this.o.now() - Date.parse(a.createdAt) > this.o.maxAgeMs) break;
      out.push(a);
    }
    return out;
  }

  /**
   * Sends batch in one request and settles each action as the single path does. "stop": the network
   * (or the server, for everything still pending) asks to wait: a retry is scheduled. "next": go on
   * with what is pending now. "oneByOne": the batch was refused whole.
   */
  private async sendBatch(batch: QueuedAction[]): Promise<"stop" | "next" | "oneByOne"> {
    this.set({ sending: true });
    let outcomes: BatchOutcome[];
    try {
      outcomes = await this.attemptBatch(batch);
    } catch (err) {
      this.set({ sending: false });
      if (err instanceof AttemptTimeoutError || this.o.classify(err) === "retry") {
        this.scheduleRetry();
        this.releaseAll();
        return "stop";
      }
      return "oneByOne";
    }
    this.set({ sending: false });
    let progressed = false;
    for (const [i, outcome] of outcomes.entries()) {
      const action = batch[i]!;
      const wait =
        (outcome.status === "failed" && this.o.classify(outcome.error) === "retry") || (outcome.status === "skipped" && outcome.retry);
      if (wait) {
        if (progressed) return "next"; // what is left goes in the next batch at once
        this.scheduleRetry();
        this.releaseAll();
        return "stop";
      }
      progressed = true;
      if (outcome.status === "done") {
        await this.done(action, outcome.result);
      } else {
        await this.refuse(action, outcome.error);
      }
    }
    this.failures = 0;
    this.set({ retryAt: null });
    return "next";
  }

  private async attemptBatch(batch: QueuedAction[]): Promise<BatchOutcome[]> {
    const outcomes = await this.timed(this.o.executeBatch!(batch));
    if (outcomes.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${outcomes.length} outcomes`);
    return outcomes;
  }

  /** The server did it: the waiting caller gets the result; with nobody waiting, it is a replay. */
  private async done(action: QueuedAction, result: unknown): Promise<void> {
    await this.o.storage.remove(action.id);
    await this.refresh();
    const w = this.waiters.get(action.id);
    this.waiters.delete(action.id);
    if (w) {
      w.resolve({ status: "done", result });
      return;
    }
    const replayed: ReplayedAction = { id: action.id, action, result, replayedAt: new Date(this.o.now()).toISOString() };
    this.set({ replayed: [...this.state.replayed, replayed].slice(-MAX_REPLAYED) });
    this.emit({ status: "done", replayed });
  }

  private emit(event: ReplayEvent): void {
    for (const l of [...this.replayListeners]) l(event);
  }

  /** The server said no: the waiting caller gets the error; with nobody waiting, it is kept. */
  private async refuse(head: QueuedAction, err: unknown): Promise<void> {
    const w = this.waiters.get(head.id);
    this.waiters.delete(head.id);
    if (w) {
      await this.o.storage.remove(head.id);
      await this.refresh();
      w.reject(err);
      return;
    }
    const { code, message } = this.o.describe(err);
    const failure: FailedAction = {
      id: head.id,
      action: head,
      code,
      ...(message ? { message } : {}),
      failedAt: new Date(this.o.now()).toISOString(),
    };
    await this.o.storage.fail(failure);
    await this.refresh();
    this.emit({ status: "refused", failure });
  }

  private async expire(head: QueuedAction): Promise<void> {
    await this.o.storage.fail({ id: head.id, action: head, code: EXPIRED, failedAt: new Date(this.o.now()).toISOString() });
    await this.refresh();
    const w = this.waiters.get(head.id);
    this.waiters.delete(head.id);
    w?.resolve({ status: "queued", action: head });
  }

  private attempt(action: QueuedAction): Promise<unknown> {
    return this.timed(this.o.execute(action));
  }

  /** An answer within attemptTimeoutMs, or AttemptTimeoutError. */
  private timed<T>(answer: Promise<T>): Promise<T> {
    const ms = this.o.attemptTimeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new AttemptTimeoutError(ms)), ms);
      answer.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  private scheduleRetry(): void {
    this.failures++;
    const base = Math.min(this.o.maxRetryMs, this.o.initialRetryMs * 2 ** (this.failures - 1));
    const delay = Math.round(base * (0.75 + this.o.random() / 2));
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.set({ retryAt: null });
      void this.flush();
    }, delay);
    this.set({ retryAt: this.o.now() + delay });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.state.retryAt !== null) this.set({ retryAt: null });
  }

  private releaseAll(): void {
    for (const id of [...this.waiters.keys()]) this.release(id);
  }

  /** Reads the lists again; returns the pending actions read (newer reads win the state). */
  private async refresh(): Promise<QueuedAction[]> {
    const n = ++this.reads;
    const [pending, failed] = await Promise.all([this.o.storage.pending(), this.o.storage.failed()]);
    if (n === this.reads) this.set({ pending, failed });
    return pending;
  }

  private set(patch: Partial<OfflineQueueState>): void {
    const next = { ...this.state, ...patch };
    const changed = (Object.keys(patch) as (keyof OfflineQueueState)[]).some((k) => next[k] !== this.state[k]);
    if (!changed) return;
    this.state = next;
    for (const l of [...this.listeners]) l();
  }
}

/** An OfflineStorage in memory: tests, and platforms where a restart may lose the queue. */
export function memoryOfflineStorage(): OfflineStorage {
  let pending: QueuedAction[] = [];
  let failed: FailedAction[] = [];
  const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
  return {
    pending: async () => copy(pending),
    add: async (a) => {
      pending.push(copy(a));
    },
    remove: async (id) => {
      pending = pending.filter((a) => a.id !== id);
    },
    fail: async (f) => {
      pending = pending.filter((a) => a.id !== f.id);
      failed.push(copy(f));
    },
    failed: async () => copy(failed),
    dismiss: async (id) => {
      failed = failed.filter((f) => f.id !== id);
    },
  };
}
