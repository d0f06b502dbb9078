import { expect, test } from "@playwright/test";

/**
 * Services page: stopping the only running instance of a service asks first (a dialog in the
 * page); stopping one of several says "stopping" (never "starting") until it has stopped.
 */
test("stopping the last instance asks first; a stopping instance says so", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/services");
  const gateway = page.locator('[data-testid="service-group"][data-service="gateway"]');
  await expect(gateway.getByTestId("instance-health")).toHaveText(["up"]);
  await gateway.getByRole("button", { name: "Stop" }).click();
  // Only the open dialog is in the accessibility tree (each row that would need one has its own).
  const dialog = page.getByRole("dialog", { name: "Stop the last instance of gateway?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Stop the last instance of gateway?");
  await page.screenshot({ path: "artifacts/screens/services-confirm-stop.png" });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(gateway.getByTestId("instance-health")).toHaveText(["up"]);

  // One of two inventory instances: no question, and "stopping" until the launcher reports it stopped.
  const inventory = page.locator('[data-testid="service-group"][data-service="inventory"]');
  const second = inventory.locator('[data-testid="instance-row"]').nth(1);
  await expect(inventory.getByTestId("instance-health")).toHaveText(["up", "up"]);
  const seen: string[] = [];
  page.on("response", async (response) => {
    if (!response.url().includes("services.instances")) return;
    const body = await response.text().catch(() => "");
    for (const health of body.match(/"health":"[a-z]+"/g) ?? []) seen.push(health);
  });
  // Every badge text the row shows from the click on: a fast machine may stop the instance before
  // the next poll, so "stopping" can be short; what must never show is "starting".
  const shown = await second.getByTestId("instance-health").evaluate((badge) => {
    const row = badge.closest('[data-testid="instance-row"]')!;
    const texts: string[] = [];
    const record = () => {
      const text = row.querySelector('[data-testid="instance-health"]')?.textContent ?? "";
      if (texts.at(-1) !== text) texts.push(text);
    };
    new MutationObserver(record).observe(row, { subtree: true, childList: true, characterData: true });
    (window as unknown as { healthShown: string[] }).healthShown = texts;
    return texts;
  });
  expect(shown).toEqual([]);
  await second.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(second.getByTestId("instance-health")).toHaveText(/^(stopping|stopped)$/);
  await page.screenshot({ path: "artifacts/screens/services-stopping.png" });
  await expect(second.getByTestId("instance-health")).toHaveText("stopped", { timeout: 30_000 });
  const sequence = await page.evaluate(() => (window as unknown as { healthShown: string[] }).healthShown);
  expect(sequence.filter((text) => text !== "up"), "the badge goes from up through stopping to stopped").toEqual(
    sequence.includes("stopping") ? ["stopping", "stopped"] : ["stopped"],
  );
  expect(seen).not.toContain('"health":"starting"');
  await second.getByRole("button", { name: "Start" }).click();
  await expect(second.getByTestId("instance-health")).toHaveText("up", { timeout: 60_000 });
});
