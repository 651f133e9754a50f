import type { DiallerApi } from '../../shared/ipc-contract';
import { useSettings } from '../hooks/use-settings';
import { ApiKeySection } from './ApiKeySection';
import { AppSection } from './AppSection';
import { CertificateSection } from './CertificateSection';
import { PatriotSection } from './PatriotSection';
import { PatriotSetupSection } from './PatriotSetupSection';
import { ProfilesSection } from './ProfilesSection';

/** Settings in place of the main view; read-only when IT locked them. */
export function SettingsView({ api, onClose }: { api: DiallerApi; onClose: () => void }) {
  const { settings, error, reload } = useSettings(api);
  const locked = !!settings?.lockedBy;
  return (
    <div class="view">
      <header class="topbar">
        <button type="button" class="button-quiet" onClick={onClose}>
          ← Back
        </button>
        <h1 class="topbar-title">Settings</h1>
      </header>
      <main class="content">
        {error && (
          <p class="banner tone-error" role="alert">
            Could not load the settings: {error}
          </p>
        )}
        {!settings && !error && (
          <p class="loading" role="status">
            Loading settings…
          </p>
        )}
        {settings && (
          <>
            {settings.lockedBy && (
              <p class="banner tone-warn" role="note">
                These settings are managed by {settings.lockedBy} and are read-only here. You can still switch
                profiles. Ask your IT team for changes.
              </p>
            )}
            <ProfilesSection api={api} settings={settings} locked={locked} reload={reload} />
            <PatriotSection api={api} patriot={settings.patriot} locked={locked} reload={reload} />
            <PatriotSetupSection patriot={settings.patriot} />
            {settings.patriot.mode === 'server' && (
              <>
                <ApiKeySection api={api} patriot={settings.patriot} locked={locked} reload={reload} />
                <CertificateSection api={api} />
              </>
            )}
            <AppSection api={api} startAtLogin={settings.startAtLogin} locked={locked} />
          </>
        )}
      </main>
    </div>
  );
}
