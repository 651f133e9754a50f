import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { DiallerApi } from '../../shared/ipc-contract';
import type { SiteCheckReport, SiteCheckStep } from '../../shared/site-check';

export interface SiteCheckState {
  running: boolean;
  /** The steps as last reported (progress while running, the report's afterwards). */
  steps: SiteCheckStep[];
  report: SiteCheckReport | null;
  error: string | null;
  run(dialNumber: string | null): Promise<void>;
}

/** Runs the site check in main and follows its progress pushes. */
export function useSiteCheck(api: DiallerApi): SiteCheckState {
  const [running, setRunning] = useState(false);
  const [steps, setSteps] = useState<SiteCheckStep[]>([]);
  const [report, setReport] = useState<SiteCheckReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const runningRef = useRef(false);

  useEffect(
    () =>
      api.onSiteCheckProgress((next) => {
        if (runningRef.current) setSteps(next);
      }),
    [api],
  );

  const run = useCallback(
    async (dialNumber: string | null) => {
      runningRef.current = true;
      setRunning(true);
      setReport(null);
      setError(null);
      setSteps([]);
      try {
        const result = await api.runSiteCheck({ dialNumber });
        setReport(result);
        setSteps(result.steps);
      } catch (caught) {
        setError(caught instanceof Error ? caught.message : String(caught));
      } finally {
        runningRef.current = false;
        setRunning(false);
      }
    },
    [api],
  );

  return { running, steps, report, error, run };
}
