import { expect, test } from "@playwright/test";

test("trace list filters live in the URL and survive a reload", async ({ page }) => {
  await page.goto("/traces?service=order&errors=1");
  await expect(page.getByLabel("Service")).toHaveValue("order");
  await expect(page.getByLabel("Errors only")).toBeChecked();

  await page.getByLabel("Errors only").uncheck();
  await expect(page).toHaveURL(/\/traces\?service=order$/);

  await page.getByLabel("Search traces").fill("no-such-root-span-anywhere");
  await expect(page).toHaveURL(/q=no-such-root-span-anywhere/);
  await expect(page.getByText("No traces match these filters")).toBeVisible();

  await page.reload();
  await expect(page.getByLabel("Search traces")).toHaveValue("no-such-root-span-anywhere");
  await expect(page.getByLabel("Service")).toHaveValue("order");
  await page.screenshot({ path: "artifacts/traces-no-match.png" });
});
