/** The dead-letter page's count line, from one page of the server's answer. */
const count = new Intl.NumberFormat("en");

type PageFigures = { items: readonly unknown[]; total: number; all: number; page: number; pageSize: number };

/**
 * "51–100 of 9,998 matching · 10,000 dead letters in all" with a filter, "1–50 of 10,000 dead
 * letters" without, "0 of 0 dead letters" for none.
 */
export function rangeText(data: PageFigures, isFiltered: boolean): string {
  const first = (data.page - 1) * data.pageSize + 1;
  const shown = data.items.length === 0 ? "0" : `${count.format(first)}–${count.format(first + data.items.length - 1)}`;
  const of = `${shown} of ${count.format(data.total)}`;
  return isFiltered ? `${of} matching · ${count.format(data.all)} dead letters in all` : `${of} dead letters`;
}
