import type { PatriotSettings } from '../../shared/ipc-contract';
import { PATRIOT_CONFIG_TEMPLATE, patriotDiallerUrl } from '../logic/patriot-setup';
import { CopyField } from './CopyField';

/** The values the user enters in Patriot's client settings file, for the saved mode and port. */
export function PatriotSetupSection({ patriot }: { patriot: PatriotSettings }) {
  return (
    <section class="settings-section" aria-labelledby="setup-title">
      <h2 id="setup-title" class="section-title">
        Settings to enter in Patriot
      </h2>
      {patriot.mode === 'server' ? (
        <>
          <p class="section-intro">
            In the Patriot client’s settings file (usually PatriotMVVM.exe.config), set these values. Click a
            value to select it, then press Ctrl+C.
          </p>
          <CopyField label="DiallerType" value="WebsocketClient" />
          <CopyField label="WebSocketClientDiallerUrl" value={patriotDiallerUrl(patriot.port)} />
          <CopyField
            label="WebSocketClientDiallerConfig"
            value={PATRIOT_CONFIG_TEMPLATE}
            note="Replace <API key> with the bridge’s key: use Copy API key below, then paste it in its place."
          />
        </>
      ) : (
        <p class="section-intro">
          Register Patriot’s “Desktop API Dialler” module. The bridge connects to{' '}
          <span class="mono">{patriot.connectUrl ?? '(no address set)'}</span> with Patriot’s WebSocketApiKey.
        </p>
      )}
    </section>
  );
}
