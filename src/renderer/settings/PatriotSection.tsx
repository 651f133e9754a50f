import { useId, useState } from 'preact/hooks';
import type { DiallerApi, FieldErrors, PatriotSettings } from '../../shared/ipc-contract';
import { placeFieldErrors } from '../logic/field-errors';
import {
  checkPatriotDraft,
  patriotDraftFrom,
  patriotDraftToInput,
  type PatriotDraft,
} from '../logic/patriot-setup';
import { FormField } from './FormField';
import { SecretField } from './SecretField';

interface PatriotSectionProps {
  api: DiallerApi;
  patriot: PatriotSettings;
  locked: boolean;
  reload: () => Promise<void>;
}

const FIELDS = ['mode', 'port', 'allowedOrigins', 'connectUrl', 'connectApiKey'];
/** Config-file spellings of the same keys, as main may report them. */
const ALIASES = { 'listen.port': 'port', 'connect.url': 'connectUrl', 'connect.apiKey': 'connectApiKey' };

/** How Patriot and the bridge find each other: mode, port, allowed web origins, Patriot's address. */
export function PatriotSection({ api, patriot, locked, reload }: PatriotSectionProps) {
  const originsId = useId();
  const [draft, setDraft] = useState<PatriotDraft>(() => patriotDraftFrom(patriot));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ text: string; failed: boolean } | null>(null);
  const [saving, setSaving] = useState(false);
  const update = (change: Partial<PatriotDraft>) => setDraft((current) => ({ ...current, ...change }));

  const showErrors = (found: FieldErrors, text: string) => {
    const placed = placeFieldErrors(found, FIELDS, ALIASES);
    setErrors(placed.byField);
    setMessage({ text: [text, ...placed.unplaced].join(' '), failed: true });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const clientErrors = checkPatriotDraft(draft);
    if (Object.keys(clientErrors).length > 0) {
      showErrors(clientErrors, 'Please fix the fields marked below.');
      return;
    }
    setSaving(true);
    try {
      const result = await api.savePatriotSettings(patriotDraftToInput(draft));
      if (result.ok) {
        setErrors({});
        update({ connectApiKey: '' });
        setMessage({ text: 'Patriot settings saved.', failed: false });
        await reload();
      } else showErrors(result.fieldErrors, result.message);
    } catch (error) {
      showErrors({}, `Could not save: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setSaving(false);
    }
  };

  const originsError = errors.allowedOrigins;
  return (
    <form
      class="settings-section"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-labelledby="patriot-title"
    >
      <h2 id="patriot-title" class="section-title">
        Patriot connection
      </h2>
      <fieldset disabled={locked || saving}>
        <fieldset class="choice" data-field="mode">
          <legend>Who connects</legend>
          <label class="choice-option">
            <input
              type="radio"
              name="patriot-mode"
              checked={draft.mode === 'server'}
              onChange={() => update({ mode: 'server' })}
            />
            <span>
              Patriot connects to this bridge{' '}
              <span class="muted">(“Websocket Client Dialler”, recommended)</span>
            </span>
          </label>
          <label class="choice-option">
            <input
              type="radio"
              name="patriot-mode"
              checked={draft.mode === 'client'}
              onChange={() => update({ mode: 'client' })}
            />
            <span>
              The bridge connects to Patriot <span class="muted">(“Desktop API Dialler”)</span>
            </span>
          </label>
          {errors.mode && <p class="field-error">{errors.mode}</p>}
        </fieldset>
        {draft.mode === 'server' ? (
          <>
            <FormField
              name="port"
              label="Port"
              kind="number"
              required
              help="Patriot connects to wss://127.0.0.1 on this port. Default 9009."
              value={draft.port}
              error={errors.port}
              onChange={(value) => update({ port: String(value) })}
            />
            <div class="field" data-field="allowedOrigins">
              <label for={originsId}>Allowed web origins</label>
              <textarea
                id={originsId}
                rows={2}
                spellcheck={false}
                value={draft.allowedOrigins}
                aria-invalid={!!originsError}
                aria-describedby={`${originsId}-help${originsError ? ` ${originsId}-error` : ''}`}
                onInput={(event) => update({ allowedOrigins: event.currentTarget.value })}
              />
              <p id={`${originsId}-help`} class="field-help">
                Only for Patriot’s web client (ICA): its address, such as https://ica.example.com. One per
                line. The desktop client needs none.
              </p>
              {originsError && (
                <p id={`${originsId}-error`} class="field-error">
                  {originsError}
                </p>
              )}
            </div>
          </>
        ) : (
          <>
            <FormField
              name="connectUrl"
              label="Patriot address"
              kind="url"
              required
              help="Patriot’s own dialler server, e.g. wss://desktop-client-api.patriotsystems.com:9009/ws/dialler/v1"
              value={draft.connectUrl}
              error={errors.connectUrl}
              onChange={(value) => update({ connectUrl: String(value) })}
            />
            <SecretField
              name="connectApiKey"
              label="Patriot’s WebSocketApiKey"
              stored={patriot.connectApiKeyStored}
              typed={draft.connectApiKey}
              error={errors.connectApiKey}
              onInput={(value) => update({ connectApiKey: value })}
            />
            {!patriot.connectApiKeyStored && (
              <p class="field-help">Until it is set, the bridge presents its own API key to Patriot.</p>
            )}
          </>
        )}
      </fieldset>
      <div class="button-row">
        <button type="submit" class="button-primary" disabled={locked || saving}>
          {saving ? 'Saving…' : 'Save Patriot settings'}
        </button>
      </div>
      {message && (
        <p class={message.failed ? 'field-error' : 'field-ok'} role={message.failed ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
