import { useId } from 'preact/hooks';

/** Values longer than this wrap onto two lines so nothing is hidden. */
const ONE_LINE_CHARS = 40;

/** A read-only value to copy into another program: focusing it selects it all, ready for Ctrl+C. */
export function CopyField({ label, value, note }: { label: string; value: string; note?: string }) {
  const id = useId();
  return (
    <div class="field copy-field">
      <label for={id} class="mono-label">
        {label}
      </label>
      <textarea
        id={id}
        class="mono"
        readOnly
        rows={value.length > ONE_LINE_CHARS ? 2 : 1}
        spellcheck={false}
        value={value}
        aria-describedby={note ? `${id}-note` : undefined}
        onFocus={(event) => event.currentTarget.select()}
      />
      {note && (
        <p id={`${id}-note`} class="field-help">
          {note}
        </p>
      )}
    </div>
  );
}
