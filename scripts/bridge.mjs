// `npm run bridge -- --config FILE`: bundles the headless runner (a fraction of a second) and runs it in
// this same process, so signals reach the bridge directly.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { targets } from './build.mjs';

await targets.bridge();
await import(pathToFileURL(path.resolve(import.meta.dirname, '../out/headless/bridge.mjs')).href);
