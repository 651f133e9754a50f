// scripts/bridge.mjs builds the headless bundle only when it is missing or older than one of its inputs.
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { enableCompileCache, staleReason } from '../../scripts/bridge.mjs';
import { tempDirsRemovedAfterEach } from '../support/temp-dir';

const check = staleReason as (root: string) => string | null;
type CompileCacheNode = { enableCompileCache?: (dir: string) => { status: number; directory?: string } };
const compileCache = enableCompileCache as (root: string, node: CompileCacheNode) => string | null;
const tempDir = tempDirsRemovedAfterEach();

async function project(): Promise<{ root: string; at: (minutes: number, file: string) => Promise<void> }> {
  const root = await tempDir();
  await mkdir(path.join(root, 'out/headless'), { recursive: true });
  await mkdir(path.join(root, 'src'), { recursive: true });
  await writeFile(path.join(root, 'src/a.ts'), '');
  await writeFile(path.join(root, 'src/b.ts'), '');
  await writeFile(path.join(root, 'out/headless/bridge.mjs'), '');
  await writeFile(
    path.join(root, 'out/headless/bridge.inputs.json'),
    JSON.stringify(['src/a.ts', 'src/b.ts']),
  );
  const base = Date.parse('2026-01-01T10:00:00Z');
  const at = (minutes: number, file: string) =>
    utimes(path.join(root, file), new Date(base + minutes * 60_000), new Date(base + minutes * 60_000));
  await at(0, 'src/a.ts');
  await at(0, 'src/b.ts');
  await at(1, 'out/headless/bridge.mjs');
  return { root, at };
}

describe('bridge launcher staleness check', () => {
  it('is up to date when the bundle is newer than every input', async () => {
    const { root } = await project();
    expect(check(root)).toBeNull();
  });

  it('names the input that changed after the build', async () => {
    const { root, at } = await project();
    await at(2, 'src/b.ts');
    expect(check(root)).toBe('src/b.ts changed');
  });

  it('rebuilds when an input is gone, or the bundle or its input list is missing', async () => {
    const { root } = await project();
    await rm(path.join(root, 'src/a.ts'));
    expect(check(root)).toBe('src/a.ts is gone');
    await rm(path.join(root, 'out/headless/bridge.inputs.json'));
    expect(check(root)).toBe('not built yet');
    const fresh = await project();
    await rm(path.join(fresh.root, 'out/headless/bridge.mjs'));
    expect(check(fresh.root)).toBe('not built yet');
  });
});

describe('bridge launcher compile cache', () => {
  it('is a no-op on a Node without one (Node 20)', () => {
    expect(compileCache('/project', {})).toBeNull();
  });

  it("keeps it beside the bundle (Node 22.1+), not in the shared temp folder Node's default would use", () => {
    const asked: string[] = [];
    const node = {
      enableCompileCache: (dir: string) => (asked.push(dir), { status: 1, directory: dir }),
    };
    expect(compileCache('/project', node)).toBe(path.join('/project', 'out/headless/compile-cache'));
    expect(asked).toEqual([path.join('/project', 'out/headless/compile-cache')]);
  });

  it('reports none when Node declines (NODE_DISABLE_COMPILE_CACHE=1, a folder it cannot write)', () => {
    expect(compileCache('/project', { enableCompileCache: () => ({ status: 3 }) })).toBeNull();
  });
});
