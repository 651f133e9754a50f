// `npm run package:win` where the builder cannot run: one line that says what is needed, the full output
// kept in a log. The builder is replaced by stand-ins (a real run would download Electron).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const script = path.join(root, 'scripts/package-win.mjs');

async function packageWith(steps: string[][]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [script], {
      env: { ...process.env, DIALLER_PACKAGE_STEPS: JSON.stringify(steps) },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('package:win', () => {
  it('a failing builder gives one line naming what is needed, and the raw output goes to the log', async () => {
    const noisy =
      'console.error("⨯ cannot download electron-v45-win32-x64.zip\\n    at stack frame 1\\n    at 2"); process.exit(1)';
    const result = await packageWith([
      ['node', '-e', 'console.log("built")'],
      ['node', '-e', noisy],
    ]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^dialler-bridge: packaging failed at .*needs Windows \(or wine\) and network access to Electron's download/,
    );
    const log = await readFile(path.join(root, 'out/package-win.log'), 'utf8');
    expect(log).toContain('cannot download electron-v45-win32-x64.zip');
    expect(log).toContain('built');
  });

  it('succeeds quietly when every step does', async () => {
    const result = await packageWith([['node', '-e', '']]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/installer written to dist/);
  });
});
