import type { Tone } from '../logic/tone';

/** A coloured dot beside a status word; decorative, the word carries the meaning. */
export function StatusDot({ tone }: { tone: Tone }) {
  return <span class={`dot tone-${tone}`} aria-hidden="true" />;
}
