import { useEffect, useRef, useState } from 'preact/hooks';

interface ConfirmButtonProps {
  label: string;
  /** The question asked before acting, with the consequence. */
  question: string;
  confirmLabel: string;
  disabled?: boolean | undefined;
  danger?: boolean | undefined;
  onConfirm: () => void;
}

/** A button that asks first, in place (no modal dialog). */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  disabled,
  danger,
  onConfirm,
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) cancelRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button
        type="button"
        class={danger ? 'button-danger-quiet' : ''}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={label}>
      <p class="confirm-question">{question}</p>
      <div class="button-row">
        <button
          type="button"
          class={danger ? 'button-danger' : 'button-primary'}
          onClick={() => {
            setAsking(false);
            onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" ref={cancelRef} onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
