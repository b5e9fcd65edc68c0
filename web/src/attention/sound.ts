// The staff screens' optional sound: off by default, remembered per device (localStorage), and played
// with the waiting-room board's chime. Browsers allow sound only after a user gesture: turning it on
// is one; after a reload, the first click or key press on the page unlocks it again.
import { useCallback, useEffect, useState } from "react";

import { audioReady, chime, unlockAudio } from "../routes/board/announce";

const KEY = "carequeue.staff.sound";

export function useStaffSound(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => localStorage.getItem(KEY) === "on");
  useEffect(() => {
    if (!on || audioReady()) return;
    const unlock = () => void unlockAudio();
    document.addEventListener("pointerdown", unlock, { once: true });
    document.addEventListener("keydown", unlock, { once: true });
    return () => {
      document.removeEventListener("pointerdown", unlock);
      document.removeEventListener("keydown", unlock);
    };
  }, [on]);
  const set = useCallback((next: boolean) => {
    if (next) {
      localStorage.setItem(KEY, "on");
      void unlockAudio();
    } else localStorage.removeItem(KEY);
    setOn(next);
  }, []);
  return [on, set];
}

/** Plays the chime once, if the audio is unlocked. */
export function playAlert(): void {
  if (audioReady()) void chime();
}
