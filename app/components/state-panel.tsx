import type { ReactNode } from "react";

/** Centred message for empty, error and not-found states; `tone` colours the title. */
export function StatePanel({
  title,
  children,
  tone = "neutral",
  testId,
}: {
  title: string;
  children?: ReactNode;
  tone?: "neutral" | "danger";
  testId?: string;
}) {
  return (
    <div data-testid={testId} className="mx-auto my-16 max-w-md rounded-lg border border-line bg-subtle p-6 text-center">
      <h2 className={`mb-2 text-[15px] font-semibold ${tone === "danger" ? "text-danger" : ""}`}>{title}</h2>
      <div className="text-muted">{children}</div>
    </div>
  );
}
