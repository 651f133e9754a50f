import type { DiallerApi, PatriotSettings } from '../../shared/ipc-contract';
import { useAction } from '../hooks/use-action';
import { ActionMessage } from './ActionMessage';
import { ConfirmButton } from './ConfirmButton';

interface ApiKeySectionProps {
  api: DiallerApi;
  patriot: PatriotSettings;
  locked: boolean;
  reload: () => Promise<void>;
}

/** The key Patriot logs in with: recognisable by its hint, copied to the clipboard, never shown. */
export function ApiKeySection({ api, patriot, locked, reload }: ApiKeySectionProps) {
  const copy = useAction();
  const regenerate = useAction();

  const doRegenerate = async () => {
    copy.clear();
    const ok = await regenerate.run(
      () => api.regenerateApiKey(),
      'New key created. Copy it into Patriot now: until then Patriot cannot log in.',
    );
    if (ok) await reload();
  };

  return (
    <section class="settings-section" aria-labelledby="apikey-title">
      <h2 id="apikey-title" class="section-title">
        API key
      </h2>
      <p class="section-intro">
        Patriot logs in to the bridge with this key. It is never shown here; copy it to paste it into Patriot.
      </p>
      <p class="key-hint">
        <span class="muted">Current key: </span>
        <span class="mono">{patriot.apiKeyHint ?? 'none yet'}</span>
      </p>
      <div class="button-row">
        <button
          type="button"
          class="button-primary"
          disabled={copy.pending || !patriot.apiKeyHint}
          onClick={() => {
            regenerate.clear();
            void copy.run(
              () => api.copyApiKey(),
              'API key copied. Paste it into Patriot in place of <API key>.',
            );
          }}
        >
          Copy API key
        </button>
        <ConfirmButton
          label="Regenerate…"
          question="Patriot will be logged out until you paste the new key into its settings. Create a new key?"
          confirmLabel="Create new key"
          danger
          disabled={locked || regenerate.pending}
          onConfirm={() => void doRegenerate()}
        />
      </div>
      <ActionMessage action={copy} />
      <ActionMessage action={regenerate} />
    </section>
  );
}
