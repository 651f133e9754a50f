import { useCallback, useEffect, useState } from 'preact/hooks';
import type { DiallerApi, SettingsView } from '../../shared/ipc-contract';

export interface SettingsState {
  settings: SettingsView | null;
  error: string | null;
  reload: () => Promise<void>;
}

/** The settings as main sees them; `reload` after every change. */
export function useSettings(api: DiallerApi): SettingsState {
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setSettings(await api.getSettings());
      setError(null);
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    }
  }, [api]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { settings, error, reload };
}
