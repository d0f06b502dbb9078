import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** Helpers the end-to-end specs share: the dashboard's tRPC API, and the chaos panel as a user drives it. */
type TrpcResult<T> = { result: { data: T } };

export async function trpcPost<T>(request: APIRequestContext, path: string, input?: unknown): Promise<T> {
  const res = await request.post(`/api/trpc/${path}`, { data: input ?? null });
  expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return ((await res.json()) as TrpcResult<T>).result.data;
}

export async function trpcGet<T>(request: APIRequestContext, path: string, input?: unknown): Promise<T> {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await request.get(`/api/trpc/${path}${query}`);
  expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return ((await res.json()) as TrpcResult<T>).result.data;
}

/** Starts "`service` fails 100 % of its requests" from the chaos panel's form. */
export async function failServiceFromPanel(page: Page, service: string): Promise<void> {
  await page.goto("/chaos");
  await page.getByLabel("Service").selectOption(service);
  await page.getByLabel("Dependency").selectOption("");
  await page.getByLabel("Fault").selectOption("error");
  await page.getByLabel("Rate percent").fill("100");
  await page.getByRole("button", { name: "Start experiment" }).click();
  await expect(page.getByTestId("active-experiments")).toContainText(service);
  await expect(page.getByTestId("active-experiments")).toContainText("error 100%");
}
