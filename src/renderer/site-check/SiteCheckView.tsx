import { useId, useState } from 'preact/hooks';
import type { DiallerApi } from '../../shared/ipc-contract';
import { SITE_CHECK_ORDER, SITE_CHECK_TITLES, type SiteCheckStep } from '../../shared/site-check';
import { useAction } from '../hooks/use-action';
import { useSiteCheck } from '../hooks/use-site-check';
import { checkDialNumber } from '../logic/dial-number';
import { STEP_BADGE } from '../logic/site-check-words';
import { ActionMessage } from '../settings/ActionMessage';

/** Steps not reported yet are shown as waiting, so the list never jumps. */
function displayed(steps: SiteCheckStep[]): SiteCheckStep[] {
  return SITE_CHECK_ORDER.map(
    (id) =>
      steps.find((step) => step.id === id) ?? {
        id,
        title: SITE_CHECK_TITLES[id],
        status: 'pending',
        detail: '',
      },
  );
}

/** "Check this PC": runs the site check, shows each step as it goes, copies or saves the report. */
export function SiteCheckView({ api, onClose }: { api: DiallerApi; onClose: () => void }) {
  const id = useId();
  const check = useSiteCheck(api);
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const copy = useAction();
  const save = useAction();

  const start = (event: Event) => {
    event.preventDefault();
    let dialNumber: string | null = null;
    if (number.trim()) {
      const parsed = checkDialNumber(number);
      if (!parsed.ok) {
        setProblem(parsed.message);
        return;
      }
      dialNumber = parsed.number;
    }
    setProblem(null);
    copy.clear();
    save.clear();
    setSavedTo(null);
    void check.run(dialNumber);
  };

  // The file name is only known from the answer, so the message is made from it.
  const saveReport = async () => {
    let file = '';
    const ok = await save.run(async () => {
      const result = await api.saveSiteCheckReport();
      if (result.ok) file = result.file;
      return result.ok ? { ok: true } : result;
    });
    setSavedTo(ok ? file : null);
  };
  const [savedTo, setSavedTo] = useState<string | null>(null);

  const steps = displayed(check.steps);
  return (
    <div class="view">
      <header class="topbar">
        <button type="button" class="button-quiet" onClick={onClose}>
          ← Back
        </button>
        <h1 class="topbar-title">Check this PC</h1>
      </header>
      <main class="content">
        <p class="muted">
          Checks what Patriot needs on this PC: the certificate, Patriot reaching the bridge, the PBX login,
          and optionally a test call. The report holds no passwords or keys.
        </p>
        <form class="site-check-form" onSubmit={start} noValidate>
          <label for={id} class="section-title">
            Test dial (optional)
          </label>
          <div class="input-row">
            <input
              id={id}
              type="tel"
              inputMode="tel"
              autoComplete="off"
              placeholder="Number to call, or leave empty"
              value={number}
              disabled={check.running}
              aria-invalid={problem !== null}
              onInput={(event) => {
                setNumber(event.currentTarget.value);
                setProblem(null);
              }}
            />
            <button type="submit" class="button-primary" disabled={check.running}>
              {check.running ? 'Checking…' : check.report ? 'Check again' : 'Run check'}
            </button>
          </div>
          {problem && (
            <p class="field-error" role="alert">
              {problem}
            </p>
          )}
        </form>
        <ol class="site-check-steps" aria-label="Site check steps">
          {steps.map((step) => (
            <li
              key={step.id}
              class={`site-check-step tone-${STEP_BADGE[step.status].tone}`}
              data-step={step.id}
            >
              <div class="site-check-head">
                <span class="site-check-title">{step.title}</span>
                <span class={`badge tone-${STEP_BADGE[step.status].tone}`}>
                  {STEP_BADGE[step.status].text}
                </span>
              </div>
              {step.detail && <p class="site-check-detail">{step.detail}</p>}
            </li>
          ))}
        </ol>
        {check.error && (
          <p class="banner tone-error" role="alert">
            The check could not run: {check.error}
          </p>
        )}
        {check.report && (
          <section class="site-check-result" aria-label="Site check result">
            <p class={`banner ${check.report.passed ? 'tone-ok' : 'tone-error'}`} role="status">
              {check.report.passed
                ? 'Everything Patriot needs works on this PC.'
                : 'A check failed: see the step marked Problem. Copy or save the report for the support desk.'}
            </p>
            <div class="button-row">
              <button
                type="button"
                disabled={copy.pending}
                onClick={() =>
                  void copy.run(() => api.copySiteCheckReport(), 'Report copied to the clipboard.')
                }
              >
                Copy report
              </button>
              <button type="button" disabled={save.pending} onClick={() => void saveReport()}>
                Save report
              </button>
            </div>
            <ActionMessage action={copy} />
            <ActionMessage action={save} />
            {savedTo && !save.pending && !save.failed && (
              <p class="field-ok wrap" role="status">
                Report saved to {savedTo}
              </p>
            )}
          </section>
        )}
      </main>
    </div>
  );
}
