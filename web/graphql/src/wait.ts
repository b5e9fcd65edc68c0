// What a patient is told about their wait: the estimate's range ("about 40–70 min"), never the
// median alone (staff see both), and never a number the server did not give. Shared by the status
// page, the kiosk and the patient app, each with its own words.
export type PatientWait =
  /** The server has no honest range yet (too little history, no open point): "not enough data yet". */
  | { kind: "unknown" }
  /** 0–0: a point is free and the patient is first: "you're next / about to be called". */
  | { kind: "soon" }
  /** "about N min": both ends agree. */
  | { kind: "about"; minutes: number }
  /** "about low–high min". */
  | { kind: "range"; low: number; high: number };

/**
 * The range as people say it: ends up to 10 minutes as they are, longer ones to 5 minutes, the lower
 * end down and the upper end up, so rounding never narrows what the server measured (its upper end
 * is passed by about 1 patient in 10).
 */
export function patientWait(range: { lowMinutes: number; highMinutes: number } | null | undefined): PatientWait {
  if (!range) return { kind: "unknown" };
  const high = range.highMinutes <= 10 ? Math.max(0, Math.ceil(range.highMinutes)) : Math.ceil(range.highMinutes / 5) * 5;
  if (high <= 0) return { kind: "soon" };
  const lowIn = Math.max(0, Math.min(range.lowMinutes, range.highMinutes));
  const low = lowIn <= 10 ? Math.floor(lowIn) : Math.floor(lowIn / 5) * 5;
  return low >= high ? { kind: "about", minutes: high } : { kind: "range", low, high };
}
