import { useEffect, useState } from 'preact/hooks';

/** The current time, re-rendering every second while `ticking`. */
export function useNow(ticking: boolean): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setTick((tick) => tick + 1), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return Date.now();
}
