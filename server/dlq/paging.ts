/**
 * Pure paging of the dead-letter list: which slice a page number names, once the total is known.
 * The database does the slicing (LIMIT/OFFSET over the dead letters in page order); this decides
 * the numbers, so a page past the end (rows discarded or replayed away between two polls) lands
 * on the last page instead of showing nothing.
 */
import { z } from "zod";

/** Rows per page unless the caller asks otherwise, and the most it may ask for. */
export const DEAD_LETTER_PAGE_SIZE = 50;
export const MAX_DEAD_LETTER_PAGE_SIZE = 200;

export const DeadLetterPageInputSchema = z.object({
  /** 1-based. */
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(MAX_DEAD_LETTER_PAGE_SIZE).default(DEAD_LETTER_PAGE_SIZE),
});

export type PageSlice = {
  /** The page shown (the asked one, clamped to 1..pages). */
  page: number;
  /** At least 1, so "page 1 of 1" for an empty list. */
  pages: number;
  /** Rows to skip before the page. */
  offset: number;
  limit: number;
};

/** The slice of `total` rows that page `page` of `pageSize` rows holds. */
export function pageSlice(total: number, page: number, pageSize: number): PageSlice {
  const size = Math.max(1, Math.floor(pageSize));
  const pages = Math.max(1, Math.ceil(Math.max(0, total) / size));
  const at = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  return { page: at, pages, offset: (at - 1) * size, limit: size };
}

/** A page number from the URL's `?page=`: a positive whole number, else 1. */
export function parsePageParam(raw: string | null | undefined): number {
  if (!raw || !/^\d{1,7}$/.test(raw)) return 1;
  return Math.max(1, Number(raw));
}
