/** Tones shared by saga, step and order statuses, so a state looks the same on every page. */
const TONES: Record<string, string> = {
  completed: "bg-ok-bg text-ok",
  succeeded: "bg-ok-bg text-ok",
  COMPLETED: "bg-ok-bg text-ok",
  compensated: "bg-warn-bg text-warn",
  COMPENSATED: "bg-warn-bg text-warn",
  REJECTED: "bg-warn-bg text-warn",
  compensating: "bg-warn-bg text-warn",
  failed: "bg-danger-bg text-danger",
  stuck: "bg-danger-bg text-danger",
  error: "bg-danger-bg text-danger",
  running: "bg-selected text-accent",
  waiting: "bg-warn-bg text-warn",
  PENDING: "bg-selected text-accent",
  CONFIRMED: "bg-selected text-accent",
  recovering: "bg-warn-bg text-warn",
};

/** A small status pill; unknown statuses are neutral. */
export function StatusBadge({ status, title, testId }: { status: string; title?: string; testId?: string }) {
  return (
    <span
      title={title}
      data-testid={testId}
      data-status={status}
      className={`inline-block rounded px-1.5 py-0.5 text-[11px] font-semibold whitespace-nowrap ${TONES[status] ?? "bg-hover text-muted"}`}
    >
      {status}
    </span>
  );
}
