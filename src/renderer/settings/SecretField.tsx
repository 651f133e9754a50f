import { useId } from 'preact/hooks';

interface SecretFieldProps {
  name: string;
  label: string;
  stored: boolean;
  /** What the user typed in this form; never a stored secret. */
  typed: string;
  error?: string | undefined;
  disabled?: boolean | undefined;
  onInput: (value: string) => void;
}

/** A password input: shows whether a secret is stored, sends one only when typed. */
export function SecretField({ name, label, stored, typed, error, disabled, onInput }: SecretFieldProps) {
  const id = useId();
  const help = stored ? 'Stored. Leave empty to keep it, or type a new one to replace it.' : 'Not set yet.';
  return (
    <div class="field" data-field={name}>
      <label for={id}>
        {label}
        <span class={`badge ${stored ? 'tone-ok' : 'tone-idle'}`}>{stored ? 'stored' : 'not set'}</span>
      </label>
      <input
        id={id}
        name={name}
        type="password"
        autoComplete="new-password"
        value={typed}
        placeholder={stored ? '••••••••  (stored)' : ''}
        disabled={disabled}
        aria-invalid={!!error}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      <p id={`${id}-help`} class="field-help">
        {help}
      </p>
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
