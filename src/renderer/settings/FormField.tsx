import { useId } from 'preact/hooks';
import type { FieldKind } from '../logic/profile-form';

interface FormFieldProps {
  /** Field name, as in key paths and fieldErrors. */
  name: string;
  label: string;
  kind: FieldKind;
  value: string | boolean;
  required?: boolean | undefined;
  help?: string | undefined;
  error?: string | undefined;
  disabled?: boolean | undefined;
  onChange: (value: string | boolean) => void;
}

const INPUT_TYPES: Record<Exclude<FieldKind, 'checkbox' | 'json'>, string> = {
  text: 'text',
  number: 'text',
  url: 'url',
};

/** One labelled input with its help and its error right under it. */
export function FormField({
  name,
  label,
  kind,
  value,
  required,
  help,
  error,
  disabled,
  onChange,
}: FormFieldProps) {
  const id = useId();
  const describedBy =
    [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const notes = (
    <>
      {help && (
        <p id={`${id}-help`} class="field-help">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </>
  );

  if (kind === 'checkbox') {
    return (
      <div class="field field-checkbox" data-field={name}>
        <input
          id={id}
          name={name}
          type="checkbox"
          checked={value === true}
          disabled={disabled}
          aria-invalid={!!error}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        <label for={id}>{label}</label>
        {notes}
      </div>
    );
  }
  const labelText = (
    <label for={id}>
      {label}
      {!required && <span class="optional"> (optional)</span>}
    </label>
  );
  if (kind === 'json') {
    return (
      <div class="field field-json" data-field={name}>
        {labelText}
        <textarea
          id={id}
          name={name}
          rows={8}
          spellcheck={false}
          autoComplete="off"
          value={typeof value === 'string' ? value : ''}
          disabled={disabled}
          aria-required={required}
          aria-invalid={!!error}
          aria-describedby={describedBy}
          onInput={(event) => onChange(event.currentTarget.value)}
        />
        {notes}
      </div>
    );
  }
  return (
    <div class="field" data-field={name}>
      {labelText}
      <input
        id={id}
        name={name}
        type={INPUT_TYPES[kind]}
        inputMode={kind === 'number' ? 'numeric' : undefined}
        autoComplete="off"
        spellcheck={false}
        value={typeof value === 'string' ? value : ''}
        disabled={disabled}
        aria-required={required}
        aria-invalid={!!error}
        aria-describedby={describedBy}
        onInput={(event) => onChange(event.currentTarget.value)}
      />
      {notes}
    </div>
  );
}
