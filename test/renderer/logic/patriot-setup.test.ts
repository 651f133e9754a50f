import { describe, expect, it } from 'vitest';
import {
  checkPatriotDraft,
  PATRIOT_CONFIG_TEMPLATE,
  patriotDiallerUrl,
  patriotDraftFrom,
  patriotDraftToInput,
  type PatriotDraft,
} from '../../../src/renderer/logic/patriot-setup';

const SERVER: PatriotDraft = {
  mode: 'server',
  port: '9009',
  allowedOrigins: '',
  connectUrl: '',
  connectApiKey: '',
};

describe('Patriot values to copy', () => {
  it('builds the dialler URL from the port', () => {
    expect(patriotDiallerUrl(9009)).toBe('wss://127.0.0.1:9009/ws/dialler/v1');
    expect(patriotDiallerUrl(9443)).toBe('wss://127.0.0.1:9443/ws/dialler/v1');
  });

  it('leaves the API key as a placeholder', () => {
    expect(JSON.parse(PATRIOT_CONFIG_TEMPLATE)).toEqual({ userName: 'patriot', password: '<API key>' });
  });
});

describe('checkPatriotDraft', () => {
  it('passes the defaults', () => {
    expect(checkPatriotDraft(SERVER)).toEqual({});
  });

  it.each([
    ['', 'Port is required.'],
    ['0', 'Port must be a whole number from 1 to 65535.'],
    ['65536', 'Port must be a whole number from 1 to 65535.'],
    ['90.5', 'Port must be a whole number from 1 to 65535.'],
    ['nine', 'Port must be a whole number from 1 to 65535.'],
  ])('refuses port %j', (port, message) => {
    expect(checkPatriotDraft({ ...SERVER, port })).toEqual({ port: message });
  });

  it('accepts origins only (scheme, host, port), one per line', () => {
    expect(
      checkPatriotDraft({ ...SERVER, allowedOrigins: 'https://ica.example.com\n\nhttp://10.0.0.5:8080' }),
    ).toEqual({});
    expect(
      checkPatriotDraft({ ...SERVER, allowedOrigins: 'https://ica.example.com/\nica.example.com' })
        .allowedOrigins,
    ).toMatch(/^Not an origin: https:\/\/ica.example.com\/, ica.example.com\./);
  });

  it('needs a ws:// or wss:// address in client mode', () => {
    expect(checkPatriotDraft({ ...SERVER, mode: 'client' })).toEqual({
      connectUrl: 'Patriot address is required in this mode.',
    });
    expect(checkPatriotDraft({ ...SERVER, mode: 'client', connectUrl: 'https://x' })).toEqual({
      connectUrl: 'Use a ws:// or wss:// address.',
    });
    expect(
      checkPatriotDraft({ ...SERVER, mode: 'client', connectUrl: 'wss://x:9009/ws/dialler/v1' }),
    ).toEqual({});
  });
});

describe('patriot draft round trip', () => {
  it('turns settings into a draft and back', () => {
    const settings = {
      mode: 'server' as const,
      port: 9010,
      allowedOrigins: ['https://a.example', 'https://b.example'],
      connectUrl: null,
      apiKeyHint: '••3F9A',
      connectApiKeyStored: false,
    };
    const draft = patriotDraftFrom(settings);
    expect(draft).toEqual({
      mode: 'server',
      port: '9010',
      allowedOrigins: 'https://a.example\nhttps://b.example',
      connectUrl: '',
      connectApiKey: '',
    });
    expect(patriotDraftToInput({ ...draft, allowedOrigins: ' https://a.example \n\n' })).toEqual({
      mode: 'server',
      port: 9010,
      allowedOrigins: ['https://a.example'],
      connectUrl: null,
    });
  });
});

describe("Patriot's own key (client mode)", () => {
  const CLIENT: PatriotDraft = { ...SERVER, mode: 'client', connectUrl: 'wss://127.0.0.1:9443' };

  it('is checked only when typed, and sent only when typed in client mode', () => {
    expect(checkPatriotDraft(CLIENT)).toEqual({});
    expect(checkPatriotDraft({ ...CLIENT, connectApiKey: 'short' })).toHaveProperty('connectApiKey');
    expect(checkPatriotDraft({ ...CLIENT, connectApiKey: 'has a space' })).toHaveProperty('connectApiKey');
    expect(patriotDraftToInput(CLIENT)).not.toHaveProperty('connectApiKey');
    expect(patriotDraftToInput({ ...CLIENT, connectApiKey: ' patriot-key-1 ' }).connectApiKey).toBe(
      'patriot-key-1',
    );
    expect(patriotDraftToInput({ ...SERVER, connectApiKey: 'patriot-key-1' })).not.toHaveProperty(
      'connectApiKey',
    );
  });
});
