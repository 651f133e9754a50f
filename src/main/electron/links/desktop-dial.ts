// Dials that start outside the window: a clicked tel:/callto: link and the clipboard hotkey. Both go
// through Bridge.dial (the same dial rules, rate limit and call log as Patriot's dial) with their own
// source, and every refusal is a notification that says why.
import type { ActionOutcome } from '../../engine/bridge/controller';
import { extractPhoneNumber, parsePhoneUri } from '../../engine/bridge/tel-uri';
import type { Logger } from '../../engine/log/logger';
import type { DesktopNotification } from '../notifications';

export interface DesktopDialPolicy {
  telLinks: boolean;
  hotkey: boolean;
}

export interface DesktopDialDeps {
  dial(number: string, source: 'tel-link' | 'hotkey'): Promise<ActionOutcome>;
  notify(notification: DesktopNotification): void;
  /** Electron 45's clipboard.readText is async. */
  readClipboard(): Promise<string>;
  policy(): DesktopDialPolicy;
  log: Logger;
}

const IT_OFF = 'turned off by your IT department';

export class DesktopDial {
  /** The clipboard number waiting for the operator's confirmation (a click, or the hotkey again). */
  private pending: string | null = null;

  constructor(private readonly deps: DesktopDialDeps) {}

  /** A tel:/callto: link from argv or open-url. */
  async dialLink(uri: string): Promise<void> {
    const { log } = this.deps;
    if (!this.deps.policy().telLinks) {
      log.info('tel: link refused by policy');
      return this.tell('Link not dialled', `Dialling from tel: links is ${IT_OFF}.`);
    }
    const parsed = parsePhoneUri(uri);
    if (!parsed.ok) {
      log.info('tel: link refused', { reason: parsed.reason });
      return this.tell('Link not dialled', `The link could not be dialled: ${parsed.reason}.`);
    }
    const extension = parsed.extension ? ` Extension ${parsed.extension}: dial it when answered.` : '';
    await this.place(parsed.number, 'tel-link', `Dialling ${parsed.number} from a link.${extension}`);
  }

  /**
   * The hotkey: the first press shows the number and asks for confirmation; clicking that notification or
   * pressing the hotkey again with the same number on the clipboard dials it.
   */
  async hotkeyPressed(): Promise<void> {
    if (!this.deps.policy().hotkey) return this.tell('Not dialled', `The dial hotkey is ${IT_OFF}.`);
    const found = extractPhoneNumber(await this.deps.readClipboard());
    if (!found.ok) {
      this.pending = null;
      return this.tell('Nothing to dial', `${found.reason}. Copy a number, then press the hotkey again.`);
    }
    if (this.pending === found.number) return this.confirm();
    this.pending = found.number;
    this.deps.notify({
      title: `Dial ${found.number}?`,
      body: 'From the clipboard. Click here, or press the hotkey again, to dial.',
      silent: false,
      onClick: () => void this.confirm(),
      onClose: () => {
        if (this.pending === found.number) this.pending = null;
      },
    });
  }

  private async confirm(): Promise<void> {
    const number = this.pending;
    this.pending = null;
    if (number === null) return;
    await this.place(number, 'hotkey', `Dialling ${number} from the clipboard.`);
  }

  private async place(number: string, source: 'tel-link' | 'hotkey', what: string): Promise<void> {
    // A refusal (dial rules, PBX offline…) is the Bridge's own "Call could not be placed" notice.
    const result = await this.deps.dial(number, source);
    if (result.ok) this.tell('Dialling', what);
  }

  private tell(title: string, body: string): void {
    this.deps.notify({ title, body, silent: true });
  }
}
