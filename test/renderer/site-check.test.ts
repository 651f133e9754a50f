// "Check this PC" in the built window (Chromium), through every outcome the site check can report.
import { describe, expect, it } from 'vitest';
import type { SiteCheckReport, SiteCheckStep, SiteCheckStepStatus } from '../../src/shared/site-check';
import { makeStubConfig } from './support/sample-data';
import type { StubResponses } from './support/stub-protocol';
import type { WindowUnderTest } from './support/window-harness';
import { useWindows, waitForText } from './support/window-harness';

const openWith = useWindows();

const TITLES = {
  certificate: 'Bridge certificate trusted by Windows',
  patriot: 'Patriot can reach the bridge',
  pbx: 'PBX link and login',
  'test-dial': 'Test dial',
} as const;

type Outcome = Partial<Record<SiteCheckStep['id'], [SiteCheckStepStatus, string]>>;

const GOOD: Required<Outcome> = {
  certificate: ['passed', 'Trusted for the current Windows user (SHA-256 3A:9F:12:C4).'],
  patriot: [
    'passed',
    'wss://127.0.0.1:9009/ws/dialler/v1: TLS accepted and the API key accepted, as Patriot connects.',
  ],
  pbx: ['passed', 'Office (VIPTel) (viptel): online and logged in.'],
  'test-dial': ['skipped', 'No number given.'],
};

function report(outcome: Outcome = {}): SiteCheckReport {
  const steps = (Object.keys(TITLES) as SiteCheckStep['id'][]).map((id) => {
    const [status, detail] = outcome[id] ?? GOOD[id];
    return { id, title: TITLES[id], status, detail };
  });
  const passed = !steps.some((step) => step.status === 'failed');
  return {
    startedAt: '2026-03-14T09:00:00.000Z',
    finishedAt: '2026-03-14T09:00:03.000Z',
    passed,
    steps,
    text: 'report',
  };
}

async function openCheck(
  responses: StubResponses = {},
  display?: Parameters<typeof WindowUnderTest.open>[3],
) {
  const current = await openWith(makeStubConfig({ responses }), display);
  await current.page.getByRole('button', { name: 'Check this PC' }).click();
  await waitForText(current.page.getByRole('heading', { level: 1 }), 'Check this PC');
  return current;
}

const step = (window: WindowUnderTest, id: SiteCheckStep['id']) => window.page.locator(`[data-step="${id}"]`);

async function runAndWait(window: WindowUnderTest, expected: RegExp) {
  await window.page.getByRole('button', { name: 'Run check' }).click();
  return waitForText(window.page.getByRole('region', { name: 'Site check result' }), expected);
}

describe('Check this PC', () => {
  it('shows progress step by step while the check runs', async () => {
    const window = await openCheck();
    const { page } = window;
    await page.getByLabel('Test dial (optional)').fill('+44 20 7946 0000');
    await page.getByRole('button', { name: 'Run check' }).click();
    await waitForText(page.getByRole('button', { name: 'Checking…' }), 'Checking…');
    expect(await window.calls('runSiteCheck')).toEqual([
      { method: 'runSiteCheck', args: [{ dialNumber: '+442079460000' }] },
    ]);
    const halfway = report();
    await page.evaluate(
      (steps) => {
        (
          globalThis as unknown as { __test: { pushSiteCheckProgress(s: unknown): void } }
        ).__test.pushSiteCheckProgress(steps);
      },
      [halfway.steps[0], { ...halfway.steps[1], status: 'running', detail: 'Checking…' }],
    );
    await waitForText(step(window, 'certificate'), 'OK');
    await waitForText(step(window, 'patriot'), 'Checking…');
    expect(await step(window, 'pbx').innerText()).toContain('Waiting');
    expect(await page.getByRole('button', { name: 'Copy report' }).count()).toBe(0);
    await window.screenshot('site-check-running');

    const done = report({ 'test-dial': ['passed', 'Call to +442079460000 placed and answered.'] });
    await page.evaluate((finished) => {
      (globalThis as unknown as { __test: { finishSiteCheck(r: unknown): void } }).__test.finishSiteCheck(
        finished,
      );
    }, done);
    await waitForText(
      page.getByRole('region', { name: 'Site check result' }),
      'Everything Patriot needs works on this PC.',
    );
    await waitForText(step(window, 'test-dial'), 'placed and answered');
    expect(await page.getByRole('button', { name: 'Check again' }).isEnabled()).toBe(true);
  });

  it('all good: every step OK; Copy and Save report go through main, naming the saved file', async () => {
    const window = await openCheck({ runSiteCheck: report() });
    const { page } = window;
    await runAndWait(window, /Everything Patriot needs works/);
    for (const id of ['certificate', 'patriot', 'pbx'] as const)
      expect(await step(window, id).innerText()).toContain('OK');
    expect(await step(window, 'test-dial').innerText()).toContain('Skipped');
    expect(await window.calls('runSiteCheck')).toEqual([
      { method: 'runSiteCheck', args: [{ dialNumber: null }] },
    ]);
    await window.screenshot('site-check-passed');
    await page.getByRole('button', { name: 'Copy report' }).click();
    await waitForText(
      page.getByRole('region', { name: 'Site check result' }),
      'Report copied to the clipboard.',
    );
    await page.getByRole('button', { name: 'Save report' }).click();
    await waitForText(
      page.getByRole('region', { name: 'Site check result' }),
      'Report saved to C:\\Logs\\site-check.txt',
    );
    expect(await window.calls('copySiteCheckReport')).toHaveLength(1);
    expect(await window.calls('saveSiteCheckReport')).toHaveLength(1);
  });

  const failures: [string, Outcome, SiteCheckStep['id'], RegExp][] = [
    [
      'untrusted-cert',
      {
        certificate: [
          'failed',
          'Windows does not trust the bridge certificate (SHA-256 3A:9F), so Patriot will refuse to connect.',
        ],
        patriot: [
          'failed',
          'wss://127.0.0.1:9009/ws/dialler/v1: the TLS connection was refused because the certificate is not trusted.',
        ],
      },
      'certificate',
      /Windows does not trust the bridge certificate/,
    ],
    [
      'wrong-key',
      {
        patriot: [
          'failed',
          'wss://127.0.0.1:9009/ws/dialler/v1: the bridge refused the API key (Invalid API key).',
        ],
      },
      'patriot',
      /refused the API key/,
    ],
    [
      'pbx-offline',
      {
        pbx: [
          'failed',
          'Office (VIPTel) (viptel): offline — connection refused (ECONNREFUSED 127.0.0.1:8088).',
        ],
        'test-dial': ['skipped', 'Not dialled: the PBX is not online.'],
      },
      'pbx',
      /offline — connection refused/,
    ],
    [
      'dial-failed',
      { 'test-dial': ['failed', 'Call to 0900111 placed but failed: Busy (busy).'] },
      'test-dial',
      /placed but failed: Busy/,
    ],
  ];
  for (const [name, outcome, failedStep, reason] of failures) {
    it(`${name}: the failing step says Problem with the reason, and the check failed`, async () => {
      const window = await openCheck({ runSiteCheck: report(outcome) });
      await runAndWait(window, /A check failed: see the step marked Problem/);
      const text = await step(window, failedStep).innerText();
      expect(text).toContain('Problem');
      expect(text).toMatch(reason);
      await window.screenshot(`site-check-${name}`);
    });
  }

  it('checks the test number before running, and says when the check could not run', async () => {
    const window = await openCheck({ runSiteCheck: report() });
    const { page } = window;
    await page.getByLabel('Test dial (optional)').fill('12+34');
    await page.getByRole('button', { name: 'Run check' }).click();
    await waitForText(page.locator('form.site-check-form'), 'A + is only allowed at the start.');
    expect(await window.calls('runSiteCheck')).toEqual([]);
    await window.setResponses({
      saveSiteCheckReport: { ok: false, message: 'Could not save the report: disk full' },
    });
    await page.getByLabel('Test dial (optional)').fill('');
    await runAndWait(window, /Everything Patriot needs works/);
    await page.getByRole('button', { name: 'Save report' }).click();
    await waitForText(page.getByRole('alert'), 'Could not save the report: disk full');
  });
});

describe('small window: scrolls, nothing cut off sideways', () => {
  const displays = [
    { name: '380', display: { width: 380, height: 560 } },
    { name: '380-150pct', display: { width: 380, height: 560, deviceScaleFactor: 1.5 } },
  ];
  for (const { name, display } of displays) {
    it(`every site check state is readable at ${name}`, async () => {
      const long = report({
        certificate: [
          'failed',
          'Windows does not trust the bridge certificate (SHA-256 3A:9F:12:C4:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00), so Patriot will refuse to connect.',
        ],
        patriot: [
          'failed',
          'wss://127.0.0.1:9009/ws/dialler/v1: the TLS connection was refused because the certificate is not trusted; Patriot on this PC would fail the same way.',
        ],
        pbx: [
          'failed',
          'Office (VIPTel) (viptel): offline — connection refused (ECONNREFUSED 127.0.0.1:8088).',
        ],
        'test-dial': ['skipped', 'Not dialled: the PBX is not online.'],
      });
      const window = await openCheck({ runSiteCheck: long }, display);
      expect(await window.horizontalOverflow()).toEqual([]);
      await runAndWait(window, /A check failed/);
      expect(await window.horizontalOverflow()).toEqual([]);
      expect(await window.lastContentVisibleAfterScroll()).toEqual({ scrolls: true, lastVisible: true });
      await window.screenshot(`site-check-small-${name}`);
    });
  }
});
