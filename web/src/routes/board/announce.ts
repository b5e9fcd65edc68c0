// The board's sound: a two-note chime (Web Audio, no file to download) and the call spoken aloud
// (Web Speech API) in the board's language. Browsers only allow sound after a user gesture, so the
// board asks once ("Turn on sound"); a TV in kiosk mode can start Chromium with
// --autoplay-policy=no-user-gesture-required instead.

let audio: AudioContext | null = null;

/** Creates (or resumes) the audio context; call it from a click. */
export async function unlockAudio(): Promise<boolean> {
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return false;
  audio ??= new Ctx();
  if (audio.state === "suspended") await audio.resume();
  return audio.state === "running";
}

/** Whether sound can play without asking (an earlier unlock, or an autoplay-friendly browser). */
export function audioReady(): boolean {
  return audio?.state === "running";
}

/** Plays the chime; resolves when it has finished. */
export function chime(): Promise<void> {
  if (!audio || audio.state !== "running") return Promise.resolve();
  const ctx = audio;
  const start = ctx.currentTime;
  for (const [i, freq] of [659.25, 523.25].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    const t0 = start + i * 0.45;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.4, t0 + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.8);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0);
    osc.stop(t0 + 0.85);
  }
  return new Promise((resolve) => setTimeout(resolve, 1300));
}

/** "C-012" → "C 0 1 2": speech engines would otherwise say "C minus twelve". */
export function spokenCode(code: string): string {
  return code.replace(/[-\s]+/g, "").split("").join(" ");
}

/** Speaks text in language (BCP 47); resolves when done, or at once where speech is unavailable. */
export function speak(text: string, language: string): Promise<void> {
  if (!("speechSynthesis" in window)) return Promise.resolve();
  return new Promise((resolve) => {
    const u = new SpeechSynthesisUtterance(text);
    u.lang = language;
    u.rate = 0.9;
    const voice = speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith(language.toLowerCase()));
    if (voice) u.voice = voice;
    const done = () => resolve();
    u.onend = done;
    u.onerror = done;
    setTimeout(done, 8_000); // some engines never fire onend
    speechSynthesis.speak(u);
  });
}
