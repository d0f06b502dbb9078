/** "3 s ago" / "5 min ago" / "in 4 s" from epoch ms, for the queue tables. */
export function formatRelativeMs(atMs: number | null, nowMs: number): string {
  if (atMs === null) return "–";
  const diffS = Math.round((nowMs - atMs) / 1000);
  const abs = Math.abs(diffS);
  const text = abs < 60 ? `${abs} s` : abs < 3600 ? `${Math.floor(abs / 60)} min` : abs < 86_400 ? `${Math.floor(abs / 3600)} h` : `${Math.floor(abs / 86_400)} d`;
  return diffS >= 0 ? `${text} ago` : `in ${text}`;
}

/** Full local date and time for a tooltip. */
export function formatFullMs(atMs: number | null): string {
  return atMs === null ? "" : new Date(atMs).toLocaleString();
}
