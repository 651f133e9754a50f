// `npm run bridge -- --config FILE`: runs the built headless runner (out/headless/bridge.mjs) in this same
// process, so signals reach the bridge directly. It is built only when missing or older than one of the
// files it was built from (a fresh clone, a developer's edit, new dependencies); esbuild is then loaded,
// used and stopped, so no builder process stays beside the bridge. A start costs a few stat calls.
import { readFileSync, statSync } from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const projectRoot = path.resolve(import.meta.dirname, '..');
const bundleIn = (root) => path.join(root, 'out/headless/bridge.mjs');

/** Why the bundle under `root` must be (re)built; null when it is up to date. */
export function staleReason(root = projectRoot) {
  const bundle = bundleIn(root);
  let builtAt;
  let inputs;
  try {
    builtAt = statSync(bundle).mtimeMs;
    inputs = JSON.parse(readFileSync(path.join(root, 'out/headless/bridge.inputs.json'), 'utf8'));
  } catch {
    return 'not built yet';
  }
  for (const input of inputs) {
    let changedAt;
    try {
      changedAt = statSync(path.join(root, input)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (changedAt > builtAt) return `${input} changed`;
  }
  return null;
}

/**
 * Node 22.1+ keeps V8's compiled code of the bundle on disk and reuses it while the bundle is unchanged
 * (compiling it is the largest part of loading it); Node 20 has no compile cache: then a no-op. The cache
 * lives beside the bundle, as trusted as the bundle itself, not in a shared temp folder. Returns its folder.
 */
export function enableCompileCache(root = projectRoot, node = nodeModule) {
  if (typeof node.enableCompileCache !== 'function') return null;
  return node.enableCompileCache(path.join(root, 'out/headless/compile-cache')).directory ?? null;
}

const isMain =
  process.argv[1] && path.resolve(process.argv[1]) === path.join(projectRoot, 'scripts/bridge.mjs');
if (isMain) {
  const reason = staleReason();
  if (reason !== null) {
    process.stderr.write(`dialler-bridge: building out/headless/bridge.mjs (${reason})\n`);
    const { targets, stopBuilder } = await import('./build.mjs');
    try {
      await targets.bridge();
    } finally {
      await stopBuilder();
    }
  }
  enableCompileCache();
  await import(pathToFileURL(bundleIn(projectRoot)).href);
  // Written once the start is over, so it holds what the start compiled, even if the bridge is killed later
  // (Node would write it at exit only); a no-op when the cache on disk was already up to date.
  setTimeout(() => nodeModule.flushCompileCache?.(), 3_000).unref();
}
