// Draws the tray and app icons with Node built-ins only (zlib for PNG, a hand-built ICO container).
// Output is committed; run again after changing a colour or the glyph: `node scripts/make-icons.mjs`.
//   assets/tray/<state>.ico (16, 32, 48, 256) for Windows, <state>.png + <state>@2x.png elsewhere
//   build/icon.ico + build/icon.png: the app and installer icon
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = [16, 32, 48, 256];

// Colour plus glyph, so the states differ for colour-blind users too.
const TRAY_STATES = {
  online: { colour: [46, 125, 50], glyph: 'handset' }, // green: PBX connected
  offline: { colour: [117, 117, 117], glyph: 'handset-crossed' }, // grey: PBX not connected (yet)
  'in-call': { colour: [30, 136, 229], glyph: 'handset' }, // blue: the operator is on a call
  error: { colour: [198, 40, 40], glyph: 'exclamation' }, // red: login failed, action needed
};
const APP_COLOUR = [21, 57, 107];

// ---------------------------------------------------------------- shapes in unit coordinates (0..1)
const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** A telephone handset: a thick arc with a round ear- and mouthpiece at its ends. */
function inHandset(x, y) {
  const cx = 0.5;
  const cy = 0.66;
  const radius = 0.27;
  const half = 0.055;
  const distance = Math.hypot(x - cx, y - cy);
  const angle = Math.atan2(y - cy, x - cx); // screen coordinates: negative = above the centre
  const from = (-155 * Math.PI) / 180;
  const to = (-25 * Math.PI) / 180;
  if (Math.abs(distance - radius) <= half && angle >= from && angle <= to) return true;
  return [from, to].some((end) =>
    inCircle(x, y, cx + radius * Math.cos(end), cy + radius * Math.sin(end), 0.105),
  );
}

/** A slash from top left to bottom right, for "not connected". */
function inSlash(x, y) {
  const along = (x + y) / Math.SQRT2 - Math.SQRT1_2; // 0 at the centre
  return Math.abs(x - y) / Math.SQRT2 <= 0.05 && Math.abs(along) <= 0.36;
}

function inExclamation(x, y) {
  const inBar = Math.abs(x - 0.5) <= 0.07 && y >= 0.2 && y <= 0.6;
  return inBar || inCircle(x, y, 0.5, 0.75, 0.075);
}

const GLYPHS = {
  handset: inHandset,
  'handset-crossed': (x, y) => inHandset(x, y) || inSlash(x, y),
  exclamation: inExclamation,
};

function inRoundedSquare(x, y, corner) {
  const nx = Math.min(Math.max(x, corner), 1 - corner);
  const ny = Math.min(Math.max(y, corner), 1 - corner);
  return (x - nx) ** 2 + (y - ny) ** 2 <= corner * corner;
}

const trayShape =
  ({ colour, glyph }) =>
  (x, y) => {
    if (!inCircle(x, y, 0.5, 0.5, 0.48)) return null;
    return GLYPHS[glyph](x, y) ? [255, 255, 255] : colour;
  };
const appShape = (x, y) => {
  if (!inRoundedSquare(x, y, 0.2)) return null;
  return inHandset(x, y) ? [255, 255, 255] : APP_COLOUR;
};

/** RGBA pixels, 4×4 supersampled so edges are smooth at 16 px. */
function render(size, shape) {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = shape((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const at = (py * size + px) * 4;
      if (covered) {
        pixels[at] = Math.round(r / covered);
        pixels[at + 1] = Math.round(g / covered);
        pixels[at + 2] = Math.round(b / covered);
      }
      pixels[at + 3] = Math.round((255 * covered) / samples ** 2);
    }
  }
  return pixels;
}

// ---------------------------------------------------------------- PNG
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- ICO (PNG-compressed entries, Vista+)
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size; // 0 means 256
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((image) => image.data)]);
}

function write(file, data) {
  const target = path.join(root, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, data);
  console.log(`${file} (${data.length} bytes)`);
}

function icon(shape) {
  return SIZES.map((size) => ({ size, data: png(size, render(size, shape)) }));
}

for (const [state, look] of Object.entries(TRAY_STATES)) {
  const images = icon(trayShape(look));
  write(`assets/tray/${state}.ico`, ico(images));
  write(`assets/tray/${state}.png`, images[0].data);
  write(`assets/tray/${state}@2x.png`, images[1].data);
}
const appImages = icon(appShape);
write('build/icon.ico', ico(appImages));
write('build/icon.png', appImages[3].data);
