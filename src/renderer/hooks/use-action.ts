import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ActionResult } from '../../shared/ipc-contract';

export interface ActionState {
  pending: boolean;
  /** The last outcome in words; `failed` tells how to show it. */
  message: string | null;
  failed: boolean;
  run: (action: () => Promise<ActionResult>, okMessage?: string) => Promise<boolean>;
  clear: () => void;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs one bridge action at a time and keeps its outcome for display. */
export function useAction(): ActionState {
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<{ message: string | null; failed: boolean }>({
    message: null,
    failed: false,
  });
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const run = useCallback(async (action: () => Promise<ActionResult>, okMessage?: string) => {
    setPending(true);
    setOutcome({ message: null, failed: false });
    let result: ActionResult;
    try {
      result = await action();
    } catch (error) {
      result = { ok: false, message: errorText(error) };
    }
    if (mounted.current) {
      setPending(false);
      setOutcome(
        result.ok ? { message: okMessage ?? null, failed: false } : { message: result.message, failed: true },
      );
    }
    return result.ok;
  }, []);

  const clear = useCallback(() => setOutcome({ message: null, failed: false }), []);
  return { pending, message: outcome.message, failed: outcome.failed, run, clear };
}
