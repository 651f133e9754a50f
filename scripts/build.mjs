// Bundles the project with esbuild. `node scripts/build.mjs [target...]`; no target = all.
// Targets: headless (plain Node runner), main (Electron main), preload (sandboxed, one CJS file), renderer.
import { build, stop } from 'esbuild';
import { cp, mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (p) => path.join(root, p);

const common = { bundle: true, sourcemap: true, logLevel: 'warning', absWorkingDir: root };

/** The project files a headless bundle was built from (its staleness check: scripts/bridge.mjs). */
export const inputsFile = (name) => at(`out/headless/${name}.inputs.json`);

/** The esbuild options of a plain-Node bundle (also what test/headless/bridge-bundle.test.ts checks). */
export const headlessOptions = (entryPoints) => ({
  ...common,
  entryPoints,
  outdir: at('out/headless'),
  outExtension: { '.js': '.mjs' },
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dependencies are bundled: one file starts faster than Node resolving and loading hundreds.
  // selfsigned loads lazily (only when a certificate is made); ws' optional native helpers are absent.
  external: ['selfsigned', 'bufferutil', 'utf-8-validate'],
  // Node reads, decodes and compiles the whole file before the bridge can listen: without whitespace and
  // with simpler syntax it is a third smaller and compiles faster. Names stay (stack traces keep function
  // names); the source map maps positions back (node --enable-source-maps).
  minifyWhitespace: true,
  minifySyntax: true,
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  metafile: true,
});

/** Plain-Node entry points: `npm run bridge` and `npm run patriot-sim`. */
async function buildHeadless(entryPoints) {
  // A bundle is dated when its build began: a file edited during the build still makes it stale.
  const startedAt = new Date();
  const result = await build(headlessOptions(entryPoints));
  // Dependencies count through node_modules/.package-lock.json (npm ci and npm install rewrite it).
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/'));
  inputs.push('node_modules/.package-lock.json', 'package.json', 'tsconfig.json', 'tsconfig.base.json');
  inputs.push('scripts/build.mjs');
  for (const name of Object.keys(entryPoints)) {
    await writeFile(inputsFile(name), JSON.stringify(inputs, null, 1) + '\n');
    await utimes(at(`out/headless/${name}.mjs`), startedAt, startedAt);
  }
  return result;
}

/** Stops esbuild's service process, which otherwise lives as long as this process. */
export const stopBuilder = () => stop();

export const targets = {
  bridge: () => buildHeadless({ bridge: at('src/main/headless/bridge-cli.ts') }),
  'patriot-sim': () => buildHeadless({ 'patriot-sim': at('src/main/headless/patriot-sim-cli.ts') }),
  main: () =>
    build({
      ...common,
      entryPoints: { electron: at('src/main/electron/main.ts') },
      outdir: at('out/main'),
      outExtension: { '.js': '.mjs' },
      platform: 'node',
      format: 'esm',
      target: 'node22',
      external: ['electron'],
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    }),
  preload: () =>
    build({
      ...common,
      // Sandboxed preloads cannot be ESM nor require split files: one CJS file.
      entryPoints: { preload: at('src/preload/preload.ts') },
      outdir: at('out/preload'),
      outExtension: { '.js': '.cjs' },
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      external: ['electron'],
    }),
  renderer: async () => {
    await build({
      ...common,
      entryPoints: { app: at('src/renderer/main.tsx') },
      outdir: at('out/renderer'),
      platform: 'browser',
      format: 'iife',
      target: 'chrome130',
      jsx: 'automatic',
      jsxImportSource: 'preact',
    });
    await mkdir(at('out/renderer'), { recursive: true });
    await cp(at('src/renderer/index.html'), at('out/renderer/index.html'));
    await cp(at('src/renderer/styles.css'), at('out/renderer/styles.css'));
  },
};

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(targets);
  for (const name of names) {
    if (!targets[name]) {
      console.error(`unknown build target "${name}"; known: ${Object.keys(targets).join(', ')}`);
      process.exit(2);
    }
    await targets[name]();
  }
  await stopBuilder();
}
