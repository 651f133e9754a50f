import type { BridgeSnapshot } from '../../shared/bridge-types';
import { describeLink, describePatriot } from '../logic/link-words';
import { LinkRow } from './LinkRow';

/** Patriot's and the PBX's connection state, side by side in words. */
export function LinkStatus({ snapshot, now }: { snapshot: BridgeSnapshot; now: number }) {
  const { patriot, pbx } = snapshot;
  return (
    <section class="links" aria-label="Connections">
      <LinkRow name="Patriot" words={describePatriot(patriot, now)} />
      <LinkRow
        name="PBX"
        context={pbx.profile.name}
        words={describeLink('PBX', pbx.link, now)}
        warnings={pbx.warnings}
      />
    </section>
  );
}
