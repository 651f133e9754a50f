import type { ActionState } from '../hooks/use-action';

/** The outcome of a settings action, right below its button. */
export function ActionMessage({ action }: { action: ActionState }) {
  if (!action.message) return null;
  return (
    <p class={action.failed ? 'field-error' : 'field-ok'} role={action.failed ? 'alert' : 'status'}>
      {action.message}
    </p>
  );
}
