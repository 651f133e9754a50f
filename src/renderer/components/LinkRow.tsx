import type { ComponentChildren } from 'preact';
import type { LinkWords } from '../logic/link-words';
import { StatusDot } from './StatusDot';

interface LinkRowProps {
  name: string;
  /** Shown after the name, e.g. the active profile. */
  context?: string | undefined;
  words: LinkWords;
  warnings?: string[] | undefined;
  /** Actions for this connection (e.g. Retry now). */
  children?: ComponentChildren;
}

/** One connection: name, state badge, and the state in plain words. */
export function LinkRow({ name, context, words, warnings = [], children }: LinkRowProps) {
  return (
    <div class={`link tone-${words.tone}`} data-link={name}>
      <div class="link-head">
        <StatusDot tone={words.tone} />
        <span class="link-name">{name}</span>
        {context && <span class="link-context">{context}</span>}
        <span class={`badge tone-${words.tone}`}>{words.label}</span>
      </div>
      <p class="link-sentence">{words.sentence}</p>
      {words.advice && <p class="link-advice">{words.advice}</p>}
      {warnings.map((warning) => (
        <p key={warning} class="link-warning">
          {warning}
        </p>
      ))}
      {children}
    </div>
  );
}
