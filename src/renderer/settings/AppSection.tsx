import { useEffect, useId, useState } from 'preact/hooks';
import type { DiallerApi } from '../../shared/ipc-contract';
import { useAction } from '../hooks/use-action';
import { ActionMessage } from './ActionMessage';

interface AppSectionProps {
  api: DiallerApi;
  startAtLogin: boolean;
  locked: boolean;
}

/** The app itself: start with Windows, where its logs are, and a diagnostic trace. */
export function AppSection({ api, startAtLogin, locked }: AppSectionProps) {
  const id = useId();
  const [checked, setChecked] = useState(startAtLogin);
  useEffect(() => setChecked(startAtLogin), [startAtLogin]);
  const toggle = useAction();
  const logs = useAction();
  const trace = useAction();
  const [traceFile, setTraceFile] = useState<string | null>(null);

  const saveTrace = () =>
    trace.run(async () => {
      setTraceFile(null);
      const result = await api.saveDiagnosticTrace();
      if (result.ok) setTraceFile(result.file);
      return result;
    });

  const change = async (enabled: boolean) => {
    setChecked(enabled);
    const ok = await toggle.run(() => api.setStartAtLogin(enabled));
    if (!ok) setChecked(!enabled);
  };

  return (
    <section class="settings-section" aria-labelledby="app-title">
      <h2 id="app-title" class="section-title">
        App
      </h2>
      <div class="field field-checkbox">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          disabled={locked || toggle.pending}
          onChange={(event) => void change(event.currentTarget.checked)}
        />
        <label for={id}>Start Dialler Bridge when I sign in to Windows</label>
      </div>
      <ActionMessage action={toggle} />
      <div class="button-row">
        <button
          type="button"
          disabled={logs.pending}
          onClick={() => void logs.run(() => api.openLogsFolder())}
        >
          Open logs folder
        </button>
        <button type="button" disabled={trace.pending} onClick={() => void saveTrace()}>
          Save diagnostic trace
        </button>
      </div>
      <p class="field-help">
        A diagnostic trace is the app’s recent log in full detail (passwords and keys removed), for IT or
        support: for example to adapt the Harmony wire profile.
      </p>
      <ActionMessage action={logs} />
      <ActionMessage action={trace} />
      {traceFile && (
        <p class="field-ok trace-saved" role="status">
          Trace saved to <code>{traceFile}</code>
        </p>
      )}
    </section>
  );
}
