import { useId, useState } from 'preact/hooks';
import type { DiallerApi } from '../../shared/ipc-contract';
import { useAction } from '../hooks/use-action';
import { checkDialNumber } from '../logic/dial-number';

/** Places a call from the bridge itself, to check the PBX link without Patriot. */
export function TestDial({ api }: { api: DiallerApi }) {
  const id = useId();
  const [number, setNumber] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const dial = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    const check = checkDialNumber(number);
    if (!check.ok) {
      setProblem(check.message);
      dial.clear();
      return;
    }
    setProblem(null);
    void dial.run(() => api.dial(check.number), `Dial request sent for ${check.number}.`);
  };

  const message = problem ?? dial.message;
  const failed = problem !== null || dial.failed;
  return (
    <form class="test-dial" onSubmit={submit} noValidate>
      <label for={id} class="section-title">
        Test dial
      </label>
      <div class="input-row">
        <input
          id={id}
          type="tel"
          inputMode="tel"
          autoComplete="off"
          placeholder="Number, e.g. +44 20 7946 0000"
          value={number}
          aria-invalid={problem !== null}
          aria-describedby={message ? `${id}-message` : undefined}
          onInput={(event) => {
            setNumber(event.currentTarget.value);
            setProblem(null);
          }}
        />
        <button type="submit" class="button-primary" disabled={dial.pending}>
          {dial.pending ? 'Dialing…' : 'Dial'}
        </button>
      </div>
      {message && (
        <p
          id={`${id}-message`}
          class={failed ? 'field-error' : 'field-ok'}
          role={failed ? 'alert' : 'status'}
        >
          {message}
        </p>
      )}
    </form>
  );
}
