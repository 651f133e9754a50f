import { useState } from 'preact/hooks';
import type { DiallerApi } from '../shared/ipc-contract';
import { MainView } from './components/MainView';
import { useBridge } from './hooks/use-bridge';
import { SettingsView } from './settings/SettingsView';
import { SiteCheckView } from './site-check/SiteCheckView';

/** The window: the live view, or settings or the site check in its place. */
export function App({ api }: { api: DiallerApi }) {
  const [view, setView] = useState<'main' | 'settings' | 'site-check'>('main');
  const bridge = useBridge(api);
  const back = () => setView('main');
  if (view === 'settings') return <SettingsView api={api} onClose={back} />;
  if (view === 'site-check') return <SiteCheckView api={api} onClose={back} />;
  return (
    <MainView
      api={api}
      bridge={bridge}
      onOpenSettings={() => setView('settings')}
      onOpenSiteCheck={() => setView('site-check')}
    />
  );
}
