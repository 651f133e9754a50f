// `npm run patriot-sim -- --help`: acts as Patriot against a running bridge (either mode).
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { targets } from './build.mjs';

await targets['patriot-sim']();
await import(pathToFileURL(path.resolve(import.meta.dirname, '../out/headless/patriot-sim.mjs')).href);
