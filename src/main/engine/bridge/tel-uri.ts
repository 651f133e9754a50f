// tel: and callto: links (RFC 3966) and numbers copied as text, turned into the digits the dial path takes.
// Pure: the Electron layer hands over the raw text, the Bridge's dial rules decide what is dialled.

export type PhoneParse =
  | {
      ok: true;
      /** Digits, "*", "#", with a leading "+" for a global number: what Bridge.dial receives. */
      number: string;
      /** `;ext=` of the link: not dialled (it needs tones after the answer), shown to the operator. */
      extension: string | null;
    }
  | { ok: false; reason: string };

const MAX_DIGITS = 32;
/** RFC 3966 visual separators, plus the space that real links and pasted text carry. */
const SEPARATORS = /[-.() \u00a0/]/g;
const shown = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
const refuse = (reason: string): PhoneParse => ({ ok: false, reason });

/** `tel:`, `callto:` and `callto://` (Skype-era) links. Anything else is refused with the reason. */
export function parsePhoneUri(uri: string): PhoneParse {
  const text = uri.trim();
  const scheme = /^(tel|callto):(\/\/)?/i.exec(text);
  if (!scheme) return refuse(`"${shown(text)}" is not a tel: or callto: link`);
  let rest: string;
  try {
    rest = decodeURIComponent(text.slice(scheme[0].length));
  } catch {
    return refuse(`"${shown(text)}" has a broken % escape`);
  }
  // Browsers add a trailing slash to callto://number/.
  if (scheme[2]) rest = rest.replace(/\/$/, '');
  const [subscriber = '', ...params] = rest.split(';');
  let extension: string | null = null;
  for (const param of params) {
    const [rawName = '', value = ''] = param.split('=');
    const name = rawName.trim().toLowerCase();
    if (name === 'ext') {
      const digits = value.replace(SEPARATORS, '');
      if (!/^[0-9*#]{1,16}$/.test(digits)) return refuse(`the extension "${shown(value)}" is not a number`);
      extension = digits;
    } else if (name === 'isub') {
      return refuse('ISDN subaddresses (;isub=) cannot be dialled through the PBX');
    } else if (name === 'postd') {
      return refuse('post-dial tones (;postd=) are not supported: dial them by hand after the answer');
    }
    // phone-context and unknown parameters change nothing we dial: the PBX's dial rules apply.
  }
  const number = parseDialString(subscriber);
  return number.ok ? { ...number, extension } : number;
}

/** A number as people write it: "+44 (0)20 7946 0018", "020-7946-0018", "0800.123.456". */
export function parseDialString(raw: string): PhoneParse {
  const text = raw.trim();
  if (text === '') return refuse('there is no number in it');
  // "+44 (0)20…": the "(0)" is the national prefix, not dialled after the country code.
  const compact = text.replace(/^\+(\d{1,3})\s*\(0\)/, '+$1').replace(SEPARATORS, '');
  if (/[a-z]/i.test(compact)) {
    return refuse(`"${shown(text)}" contains letters; only digits, *, # and a leading + can be dialled`);
  }
  if (!/^\+?[0-9*#]+$/.test(compact)) {
    return refuse(`"${shown(text)}" is not a phone number (digits, *, # and a leading + only)`);
  }
  const digits = compact.replace(/^\+/, '');
  if (compact.startsWith('+') && !/^[0-9]+$/.test(digits)) {
    return refuse(`"${shown(text)}": a number starting with + has digits only`);
  }
  if (digits.length > MAX_DIGITS) return refuse(`"${shown(text)}" has more than ${MAX_DIGITS} digits`);
  if (compact.startsWith('+') && digits.length < 4) return refuse(`"${shown(text)}" is too short`);
  return { ok: true, number: compact, extension: null };
}

/** Something that looks like a phone number in free text: at least 3 digits, separators between. */
const CANDIDATE = /(?:tel:|callto:)\S+|\+?\(?[0-9][0-9 \u00a0.\-()/]*[0-9]/gi;
const MIN_DIGITS = 3;

/**
 * The one number in clipboard text ("Call +44 20 7946 0018 today", a copied tel: link). Refused when there
 * is none or more than one, so the hotkey never guesses which one the operator meant.
 */
export function extractPhoneNumber(text: string): PhoneParse {
  const found = [...text.slice(0, 2_000).matchAll(CANDIDATE)]
    .map((match) => match[0].trim())
    .filter((candidate) => candidate.replace(/\D/g, '').length >= MIN_DIGITS);
  if (found.length === 0) return refuse('The clipboard holds no phone number');
  const parsed = found.map((candidate) =>
    /^(tel|callto):/i.test(candidate) ? parsePhoneUri(candidate) : parseDialString(candidate),
  );
  const numbers = new Set(parsed.flatMap((result) => (result.ok ? [result.number] : [])));
  if (numbers.size > 1) {
    return refuse(`The clipboard holds more than one number (${[...numbers].slice(0, 3).join(', ')})`);
  }
  return parsed.find((result) => result.ok) ?? parsed[0]!;
}
