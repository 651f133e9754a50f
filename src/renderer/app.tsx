import { useState } from 'preact/hooks';
import type { DiallerApi } from '../shared/ipc-contract';
import { MainView } from './components/MainView';
import { useBridge } from './hooks/use-bridge';
import { SettingsView } from './settings/SettingsView';

/** The window: the live view, or settings in its place. */
export function App({ api }: { api: DiallerApi }) {
  const [view, setView] = useState<'main' | 'settings'>('main');
  const bridge = useBridge(api);
  return view === 'main' ? (
    <MainView api={api} bridge={bridge} onOpenSettings={() => setView('settings')} />
  ) : (
    <SettingsView api={api} onClose={() => setView('main')} />
  );
}
