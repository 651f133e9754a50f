// What goes into out/headless/bridge.mjs decides how long `npm run bridge` takes to start: every byte is read,
// decoded and parsed before the bridge can listen. Built in memory with scripts/build.mjs' own options.
import { build } from 'esbuild';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { headlessOptions, stopBuilder } from '../../scripts/build.mjs';

const root = path.resolve(import.meta.dirname, '../..');
type Metafile = {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
};
/** The files that put code into bridge.mjs (esbuild also lists those it read and shook out entirely). */
let inputs: string[];
let bundleBytes: number;

beforeAll(async () => {
  const options = (headlessOptions as (entries: Record<string, string>) => object)({
    bridge: path.join(root, 'src/main/headless/bridge-cli.ts'),
  });
  const result = await build({ ...options, write: false, sourcemap: false });
  const bundle = Object.entries((result.metafile as Metafile).outputs).find(([file]) =>
    file.endsWith('.mjs'),
  );
  bundleBytes = bundle![1].bytes;
  inputs = Object.entries(bundle![1].inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file);
  await (stopBuilder as () => Promise<void>)();
}, 60_000);

describe('headless bridge bundle', () => {
  it("holds zod's English messages only, not its ~40 other locales (`import * as z` lets esbuild drop them)", () => {
    const locales = inputs.filter((input) => /node_modules\/zod\/.*locales\//.test(input));
    expect(locales.map((input) => path.basename(input))).toEqual(['en.js']);
  });

  it('stays within 450 KB (minified whitespace and syntax: ~413 KB; 1.17 MB before either fix)', () => {
    expect(bundleBytes).toBeLessThanOrEqual(450 * 1024);
  });
});
