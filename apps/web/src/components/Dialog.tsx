/**
 * A modal dialog on the native <dialog> element: focus moves into it, Escape closes it, and
 * the page behind is inert, with nothing to re-implement for keyboard use.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface Props {
  title: string;
  onClose(): void;
  children: ComponentChildren;
  wide?: boolean;
}

let counter = 0;

export function Dialog({ title, onClose, children, wide }: Props): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useRef(`dialog-title-${++counter}`);
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    const cancel = (event: Event): void => {
      event.preventDefault();
      onClose();
    };
    dialog.addEventListener('cancel', cancel);
    return () => dialog.removeEventListener('cancel', cancel);
  }, [onClose]);
  return (
    <dialog ref={ref} class={wide ? 'wide' : ''} aria-labelledby={titleId.current}>
      <header>
        <h2 id={titleId.current}>{title}</h2>
        <button type="button" class="icon" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}
