/**
 * Pure: one page of the services page. Any OTLP sender names its own service, so a sandbox may
 * show a thousand: the page filters by name (service or instance id, case-insensitive substring)
 * and slices whole services, never splitting one service's instances over two pages (the "last
 * instance up" confirmation needs them all).
 */
import { z } from "zod";
import { pageSlice } from "../dlq/paging.ts";
import type { ServiceInstances } from "./types.ts";

/** Services per page unless asked otherwise, and the most a page may hold. */
export const SERVICES_PAGE_SIZE = 25;
export const MAX_SERVICES_PAGE_SIZE = 200;

export const ServicesPageInputSchema = z.object({
  /** Substring of a service name or instance id; blank shows every service. */
  search: z.string().max(200).optional(),
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(MAX_SERVICES_PAGE_SIZE).default(SERVICES_PAGE_SIZE),
});
export type ServicesPageInput = z.input<typeof ServicesPageInputSchema>;

export type ServicesPage = {
  services: ServiceInstances[];
  /** The page shown (the asked one, clamped to the last), of `pages`. */
  page: number;
  pages: number;
  pageSize: number;
  /** Services matching the search. */
  total: number;
  /** Services before the search. */
  all: number;
};

/** True when the service's name or one of its instance ids contains `needle` (lower case). */
function matches(group: ServiceInstances, needle: string): boolean {
  return group.service.toLowerCase().includes(needle) || group.instances.some((row) => row.instanceId.toLowerCase().includes(needle));
}

/** The services (already sorted) matching the search, one page of them. */
export function pageServices(groups: readonly ServiceInstances[], input: ServicesPageInput): ServicesPage {
  const { search, page, pageSize } = ServicesPageInputSchema.parse(input);
  const needle = search?.trim().toLowerCase() ?? "";
  const matching = needle ? groups.filter((group) => matches(group, needle)) : groups;
  const slice = pageSlice(matching.length, page, pageSize);
  return {
    services: matching.slice(slice.offset, slice.offset + slice.limit),
    page: slice.page,
    pages: slice.pages,
    pageSize: slice.limit,
    total: matching.length,
    all: groups.length,
  };
}
