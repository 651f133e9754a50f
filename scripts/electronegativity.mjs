// Lints the Electron code for security misconfigurations with Doyensec's Electronegativity.
// Usage: node scripts/electronegativity.mjs [folder]   (default: src; TypeScript is parsed directly)
// Prints every finding; exits 1 when any has HIGH severity.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Electronegativity fetches translations over the network at start-up; we never send traffic off this
// machine from CI, so its HTTP client is replaced by one that fails at once (English texts are bundled).
const electronegativityDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const gotPath = require.resolve('got', { paths: [electronegativityDir] });
const offline = () => Promise.reject(new Error('offline: network access disabled for this check'));
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };
const run = require('@doyensec/electronegativity');
const electronVersion = require('electron/package.json').version;

// Needs GitHub (Electron's release list) and only says whether a newer Electron exists: left to Dependabot.
const OFFLINE_EXCLUDED = ['availablesecurityfixesglobalcheck'];

const input = path.resolve(root, process.argv[2] ?? 'src');
const started = Date.now();
const result = await run({
  input,
  isRelative: true,
  customScan: [],
  excludeFromScan: OFFLINE_EXCLUDED,
  parserPlugins: [],
  electronVersionOverride: electronVersion,
});

const order = { HIGH: 0, MEDIUM: 1, LOW: 2, INFORMATIONAL: 3 };
const findings = [...result.issues].sort((a, b) => order[a.severity.name] - order[b.severity.name]);
for (const issue of findings) {
  const review = issue.manualReview ? ' (review)' : '';
  console.log(
    `${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id}${review}\n` +
      `              ${issue.file}:${issue.location.line}  ${issue.shortenedURL}`,
  );
}
for (const error of result.errors) console.warn(`could not parse ${error.file}: ${error.message}`);

const high = findings.filter((issue) => issue.severity.name === 'HIGH');
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  `Electronegativity ${path.relative(root, input) || '.'}: ${findings.length} finding(s), ${high.length} high, ` +
    `${result.errors.length} parse error(s), Electron ${electronVersion}, ${seconds}s`,
);
if (high.length > 0 || result.errors.some((error) => !error.tolerable)) process.exit(1);
