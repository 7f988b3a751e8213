/**
 * Screenshots of the "Cal.com" node in the real n8n editor for n8n-node/README.md, taken by headless
 * Chromium (playwright-core, as n8n-connect does) in the owner's session: the node's actions as the
 * node panel lists them (resource → operations), and the Booking → Create parameters. Only with
 * CALCOM_SCREENSHOTS=1, so an ordinary run never rewrites the committed PNGs.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

import { ACTION_NODES, ACTION_WORKFLOW_ID } from './n8n-actions';
import { launchBrowser } from './n8n-connect-ui';
import type { N8nSession } from './n8n-rest';

export const SCREENSHOT_DIR = resolve(__dirname, '..', '..', 'n8n-node', 'docs');
export const SCREENSHOTS = { operations: 'n8n-actions-picker.png', create: 'n8n-booking-create.png' } as const;
/** The README shows them inline: a cropped panel stays far under this. */
const MAX_BYTES = 200 * 1024;

export function screenshotsRequested(): boolean {
	return process.env.CALCOM_SCREENSHOTS === '1';
}

async function dismissOverlays(page: Page): Promise<void> {
	// n8n may greet a new owner with a modal; Escape closes the ones it shows.
	await page.keyboard.press('Escape');
	await page.waitForTimeout(300);
}

async function shoot(page: Page, target: ReturnType<Page['locator']>, file: string): Promise<string> {
	const path = join(SCREENSHOT_DIR, file);
	await target.screenshot({ path, animations: 'disabled' });
	const bytes = statSync(path).size;
	if (bytes > MAX_BYTES) throw new Error(`${file} is ${Math.round(bytes / 1024)} KiB, over the ${MAX_BYTES / 1024} KiB the README allows`);
	return `${path} (${Math.round(bytes / 1024)} KiB)`;
}

/** Writes both PNGs under n8n-node/docs and returns what it wrote. */
export async function takeEditorScreenshots(session: N8nSession): Promise<string[]> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const browser = await launchBrowser();
	try {
		const { context, page } = browser;
		await context.addCookies([{ name: 'n8n-auth', value: session.authCookie, url: session.baseUrl }]);
		await page.setViewportSize({ width: 1280, height: 860 });
		await page.goto(`${session.baseUrl}/workflow/${ACTION_WORKFLOW_ID}`);
		await page.getByTestId('canvas-node').first().waitFor({ state: 'visible', timeout: 60_000 });
		await dismissOverlays(page);
		const written: string[] = [];

		// The node panel's list of the node's actions, grouped by resource, as a user picks one.
		await page.getByTestId('canvas-plus-button').or(page.getByTestId('node-creator-plus-button')).first().click();
		const creator = page.getByTestId('node-creator');
		await creator.waitFor({ state: 'visible' });
		await page.getByTestId('node-creator-search-bar').or(creator.getByRole('textbox')).first().fill('Cal.com');
		await creator.getByText('Cal.com', { exact: true }).first().click();
		await creator.getByText('Create a booking').first().waitFor({ state: 'visible' });
		written.push(await shoot(page, creator, SCREENSHOTS.operations));
		await page.keyboard.press('Escape');
		await page.waitForTimeout(300);

		// The Create Booking node's parameters, opened from the canvas.
		await page.getByTestId('canvas-node').filter({ hasText: ACTION_NODES.create }).first().dblclick();
		const panel = page.getByTestId('node-parameters');
		await panel.waitFor({ state: 'visible' });
		await panel.getByText('Attendee Time Zone').first().waitFor({ state: 'visible' });
		written.push(await shoot(page, page.getByTestId('ndv').or(panel).first(), SCREENSHOTS.create));
		return written;
	} finally {
		await browser.close();
	}
}
