"use client";
import { useEffect, useRef, type ReactNode } from "react";

/**
 * Asks before a destructive or costly action (queue, dead-letter, saga): a modal <dialog>, focus on Cancel, Esc cancels. Open while `isOpen`;
 * `onClose` is called on Cancel/Esc, `onConfirm` (then `onClose`) on the action button.
 */
export function ConfirmDialog({ isOpen, title, children, actionLabel, dismissLabel = "Cancel", isDanger = false, onConfirm, onClose }: {
  isOpen: boolean;
  title: string;
  children: ReactNode;
  actionLabel: string;
  /** The label of the button that closes the dialog without acting. */
  dismissLabel?: string;
  isDanger?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (isOpen && !element.open) element.showModal();
    if (!isOpen && element.open) element.close();
  }, [isOpen]);
  return (
    <dialog ref={dialog} data-testid="confirm-dialog" aria-label={title} onClose={onClose}
      className="m-auto max-w-md rounded-lg border border-line bg-bg p-4 text-left text-fg shadow-lg backdrop:bg-black/40">
      <h2 className="mb-2 text-[15px] font-semibold">{title}</h2>
      <div className="mb-4 text-muted">{children}</div>
      <form method="dialog" className="flex justify-end gap-2">
        <button type="submit" autoFocus className="rounded border border-line-strong px-3 py-1 hover:bg-hover">{dismissLabel}</button>
        <button type="button" data-testid="confirm-action"
          onClick={() => { onConfirm(); dialog.current?.close(); }}
          className={`rounded border px-3 py-1 font-medium hover:opacity-90 ${isDanger ? "border-danger/50 bg-danger-bg text-danger" : "border-transparent bg-accent text-accent-fg"}`}>
          {actionLabel}
        </button>
      </form>
    </dialog>
  );
}
