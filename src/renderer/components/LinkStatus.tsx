import type { BridgeSnapshot } from '../../shared/bridge-types';
import type { DiallerApi } from '../../shared/ipc-contract';
import { useAction } from '../hooks/use-action';
import { describeLink, describePatriot } from '../logic/link-words';
import { LinkRow } from './LinkRow';

/** Patriot's and the PBX's connection state, side by side in words; a PBX that is down can be retried now. */
export function LinkStatus({
  api,
  snapshot,
  now,
}: {
  api: DiallerApi;
  snapshot: BridgeSnapshot;
  now: number;
}) {
  const { patriot, pbx } = snapshot;
  const retry = useAction();
  const canRetry = pbx.link.status === 'auth-failed' || pbx.link.status === 'offline';
  return (
    <section class="links" aria-label="Connections">
      <LinkRow name="Patriot" words={describePatriot(patriot, now)} />
      <LinkRow
        name="PBX"
        context={pbx.profile.name}
        words={describeLink('PBX', pbx.link, now)}
        warnings={pbx.warnings}
      >
        {canRetry && (
          <button type="button" disabled={retry.pending} onClick={() => void retry.run(() => api.retryPbx())}>
            {retry.pending ? 'Retrying…' : 'Retry now'}
          </button>
        )}
        {retry.failed && (
          <p class="field-error" role="alert">
            Retry failed: {retry.message}
          </p>
        )}
      </LinkRow>
    </section>
  );
}
