/** How a status should look: drives the colour and the dot, never the only signal (words are always shown). */
export type Tone = 'ok' | 'busy' | 'warn' | 'error' | 'idle';
