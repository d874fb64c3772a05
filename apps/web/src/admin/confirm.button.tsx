import { useEffect, useRef, useState } from 'react';

/**
 * A button for an action that cannot be undone: the first press asks in place (no modal to
 * trap focus), the second does it. Cancel or Escape returns focus to the button.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  busy = false,
  danger = true,
  onConfirm,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  busy?: boolean;
  /** False for actions that replace rather than destroy (the question is still asked). */
  danger?: boolean;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (!asking && returnFocus.current) {
      returnFocus.current = false;
      trigger.current?.focus();
    }
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={trigger}
        type="button"
        className={`button small${danger ? ' danger' : ''}`}
        disabled={busy}
        onClick={() => setAsking(true)}
      >
        {busy ? `${label}…` : label}
      </button>
    );
  }
  const close = () => {
    returnFocus.current = true;
    setAsking(false);
  };
  return (
    <div
      role="group"
      aria-label={`Confirm: ${label}`}
      className="confirm"
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
      }}
    >
      <p>{question}</p>
      <div className="row">
        <button
          type="button"
          className="button small danger"
          autoFocus
          onClick={() => {
            close();
            onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button small" onClick={close}>
          Cancel
        </button>
      </div>
    </div>
  );
}
