import { useEffect, useRef, useState } from "react";

/** How long a kiosk screen stays without a touch before it starts over. */
export const KIOSK_IDLE_MS = 30_000;

const ACTIVITY = ["pointerdown", "keydown", "input", "touchstart", "wheel"] as const;

/**
 * Calls onIdle once nobody has touched or typed for timeoutMs while `active`; returns the seconds
 * left (for a countdown). Any touch, click or key press starts the wait again.
 */
export function useIdleReset(active: boolean, timeoutMs: number, onIdle: () => void): number {
  const full = Math.ceil(timeoutMs / 1000);
  const [left, setLeft] = useState(full);
  const callback = useRef(onIdle);
  useEffect(() => {
    callback.current = onIdle;
  });

  useEffect(() => {
    setLeft(full);
    if (!active) return;
    let deadline = Date.now() + timeoutMs;
    const bump = () => {
      deadline = Date.now() + timeoutMs;
      setLeft(full);
    };
    for (const e of ACTIVITY) window.addEventListener(e, bump, { capture: true, passive: true });
    const tick = setInterval(() => {
      const ms = deadline - Date.now();
      if (ms <= 0) {
        deadline = Number.POSITIVE_INFINITY; // once
        callback.current();
      } else {
        setLeft(Math.ceil(ms / 1000));
      }
    }, 250);
    return () => {
      clearInterval(tick);
      for (const e of ACTIVITY) window.removeEventListener(e, bump, { capture: true });
    };
  }, [active, timeoutMs, full]);

  return left;
}
