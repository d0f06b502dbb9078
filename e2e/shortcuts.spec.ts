import { expect, test } from "@playwright/test";

test("keyboard: / searches, ? lists the shortcuts, j/k and Enter open a trace, [ ] switch its views, g + letter changes page", async ({ page }) => {
  await page.goto("/traces");
  await expect(page.getByTestId("trace-row").first()).toBeVisible();

  await page.locator("body").press("/");
  await expect(page.locator('input[type="search"]')).toBeFocused();
  await page.locator('input[type="search"]').press("Escape");
  await page.locator("body").click({ position: { x: 5, y: 200 } });

  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help).toContainText("Go to Dead letters");
  await page.screenshot({ path: "artifacts/shortcuts.png" });
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();

  // j twice, k once: the first row again; Enter opens it.
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  const first = page.getByTestId("trace-row").first();
  await expect(first).toBeFocused();
  const href = await first.locator("a").first().getAttribute("href");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.getByTestId("waterfall")).toBeVisible();

  await page.keyboard.press("]");
  await expect(page).toHaveURL(new RegExp(`${href}/flow$`));
  await page.keyboard.press("]");
  await expect(page).toHaveURL(new RegExp(`${href}/stats$`));
  await page.keyboard.press("]");
  await expect(page).toHaveURL(new RegExp(`${href}/flame$`));
  await page.keyboard.press("]");
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await page.keyboard.press("[");
  await expect(page).toHaveURL(new RegExp(`${href}/flame$`));

  await page.keyboard.press("g");
  await page.keyboard.press("d");
  await expect(page).toHaveURL(/\/dead-letters$/);
  await page.keyboard.press("g");
  await page.keyboard.press("o");
  await expect(page).toHaveURL(/\/orders$/);
});
