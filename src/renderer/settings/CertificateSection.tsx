import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CertificateInfo, DiallerApi } from '../../shared/ipc-contract';
import { useAction } from '../hooks/use-action';
import { ActionMessage } from './ActionMessage';

function trustWords(trusted: boolean | null): { text: string; tone: string } {
  if (trusted === true) return { text: 'Trusted by Windows', tone: 'tone-ok' };
  if (trusted === false) return { text: 'Not trusted yet', tone: 'tone-warn' };
  return { text: 'Trust status unknown on this system', tone: 'tone-idle' };
}

/** The bridge's own certificate, and the one-time step that lets Patriot accept it. */
export function CertificateSection({ api }: { api: DiallerApi }) {
  const [info, setInfo] = useState<CertificateInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const trust = useAction();

  const load = useCallback(async () => {
    try {
      setInfo(await api.getCertificateInfo());
      setLoadError(null);
    } catch (error) {
      setLoadError(error instanceof Error ? error.message : String(error));
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load]);

  const doTrust = async () => {
    const ok = await trust.run(
      () => api.trustCertificate(),
      'Certificate trusted. Restart Patriot if it was open.',
    );
    if (ok) await load();
  };

  const status = trustWords(info?.trusted ?? null);
  return (
    <section class="settings-section" aria-labelledby="cert-title">
      <h2 id="cert-title" class="section-title">
        Certificate
      </h2>
      <p class="section-intro">
        Patriot connects over an encrypted link (wss://) and refuses a certificate Windows does not trust. The
        bridge made its own certificate for this PC: trust it once so Patriot can connect. Windows will ask
        you to confirm.
      </p>
      {loadError && <p class="field-error">Could not read the certificate: {loadError}</p>}
      {info && (
        <dl class="facts">
          <dt>Status</dt>
          <dd>
            <span class={`badge ${status.tone}`}>{status.text}</span>
          </dd>
          <dt>Fingerprint (SHA-256)</dt>
          <dd class="mono wrap">{info.fingerprint256 ?? 'not created yet'}</dd>
          {info.validTo && (
            <>
              <dt>Valid until</dt>
              <dd>{info.validTo}</dd>
            </>
          )}
        </dl>
      )}
      {info && info.trusted !== true && (
        <div class="button-row">
          <button type="button" disabled={trust.pending} onClick={() => void doTrust()}>
            Trust certificate…
          </button>
        </div>
      )}
      <ActionMessage action={trust} />
    </section>
  );
}
