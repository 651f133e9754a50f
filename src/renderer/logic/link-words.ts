import type { LinkState, PatriotView } from '../../shared/bridge-types';
import { formatWait } from './format-duration';
import type { Tone } from './tone';

export interface LinkWords {
  tone: Tone;
  /** One or two words for the badge, e.g. "Offline". */
  label: string;
  /** The whole story in plain words, e.g. "PBX offline — Can not connect to PBX, retrying in 8 s". */
  sentence: string;
  /** What the user can do about it, when there is something. */
  advice?: string;
}

/** Drops trailing dots and blanks so a reason reads well inside a sentence. */
function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

/** "retrying in 8 s", "retrying now", or "" when no retry is planned. */
export function retryWords(retryAt: number | undefined, now: number): string {
  if (retryAt === undefined) return '';
  const seconds = (retryAt - now) / 1000;
  return seconds >= 0.5 ? `retrying in ${formatWait(seconds)}` : 'retrying now';
}

/** Plain words for one link (the PBX, or Patriot in client mode). */
export function describeLink(subject: 'PBX' | 'Patriot', link: LinkState, now: number): LinkWords {
  switch (link.status) {
    case 'online':
      return {
        tone: 'ok',
        label: 'Online',
        sentence: link.detail ? `${subject} online — ${clause(link.detail)}` : `${subject} online`,
      };
    case 'connecting': {
      const attempt = link.attempt > 1 ? ` (attempt ${link.attempt})` : '';
      const lastError = link.lastError ? ` — last error: ${clause(link.lastError)}` : '';
      return {
        tone: 'busy',
        label: 'Connecting',
        sentence: `Connecting to ${subject}${attempt}…${lastError}`,
      };
    }
    case 'offline': {
      const retry = retryWords(link.retryAt, now);
      return {
        tone: 'error',
        label: 'Offline',
        sentence: `${subject} offline — ${clause(link.reason)}${retry ? `, ${retry}` : ''}`,
      };
    }
    case 'auth-failed':
      return {
        tone: 'error',
        label: 'Login failed',
        sentence: `Login failed: ${clause(link.reason)}`,
        advice:
          subject === 'PBX'
            ? 'Check the username and password of this profile in Settings.'
            : 'Check the API key in Settings.',
      };
    case 'stopped':
      return { tone: 'idle', label: 'Stopped', sentence: `${subject} connection stopped` };
  }
}

/** Patriot's side: in server mode "online" only means listening, so count who actually logged in. */
export function describePatriot(view: PatriotView, now: number): LinkWords {
  if (view.link.status !== 'online' || view.mode === 'client') {
    return describeLink('Patriot', view.link, now);
  }
  const loggedIn = view.peers.filter((peer) => peer.authenticated).length;
  const waiting = view.peers.length - loggedIn;
  const waitingNote = waiting > 0 ? ` (${waiting} not logged in yet)` : '';
  if (loggedIn === 0) {
    return {
      tone: 'warn',
      label: 'Waiting',
      sentence: `Waiting for Patriot to connect${waitingNote}`,
      advice: `Patriot should connect to ${view.endpoint}. See Settings for the values to enter in Patriot.`,
    };
  }
  const count = loggedIn === 1 ? '1 Patriot client' : `${loggedIn} Patriot clients`;
  return { tone: 'ok', label: 'Connected', sentence: `${count} connected${waitingNote}` };
}
