// shifts.js — the duty shifts of the rules (alarmManagement.shifts, served
// by GET …/alarm-rules as [{name, start: "08:00"}], Beijing time, each until
// the next begins) and which one a time falls in.

const DAY_MS = 24 * 3600 * 1000;
const BEIJING_MS = 8 * 3600 * 1000; // UTC+8 all year

/** startMs reads "HH:MM" as ms after midnight, or NaN. */
function startMs(hm) {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hm || "");
  return m ? (+m[1] * 60 + +m[2]) * 60000 : NaN;
}

/**
 * shiftStartAt is the start (ms) of the shift in progress at ms — or of the
 * one before it, when the one in progress began less than graceMs ago.
 */
export function shiftStartAt(ms, shifts, graceMs = 0) {
  const offs = shifts.map((s) => startMs(s.start)).filter(Number.isFinite).sort((a, b) => a - b);
  if (!offs.length) return NaN;
  const local = ms + BEIJING_MS;
  const day = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  // every start from the day before to today, latest first
  const starts = [];
  for (const d of [day, day - DAY_MS]) for (const o of offs.slice().reverse()) starts.push(d + o);
  const i = starts.findIndex((s) => s <= local);
  const at = local - starts[i] < graceMs && i + 1 < starts.length ? starts[i + 1] : starts[i];
  return at - BEIJING_MS;
}
