/** Where and how times are shown; tests pin both, the app uses the user's own. */
export interface ClockStyle {
  locale?: string;
  timeZone?: string;
}

function dayKey(ms: number, style: ClockStyle): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: style.timeZone, dateStyle: 'short' }).format(ms);
}

/** "14:02" for today, "12 Mar, 14:02" (locale-dependent) for older times. */
export function formatWhen(ms: number, now: number, style: ClockStyle = {}): string {
  const time: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', timeZone: style.timeZone };
  if (dayKey(ms, style) === dayKey(now, style)) {
    return new Intl.DateTimeFormat(style.locale, time).format(ms);
  }
  return new Intl.DateTimeFormat(style.locale, { ...time, day: 'numeric', month: 'short' }).format(ms);
}
