/**
 * Screenshots of the "Cal.com" node in the real n8n editor for n8n-node/README.md, taken by headless
 * Chromium (playwright-core, as n8n-connect does) in the owner's session: the node's actions as the
 * node panel lists them (resource → operations), and the Booking → Create parameters. Only with
 * CALCOM_SCREENSHOTS=1, so an ordinary run never rewrites the committed PNGs.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';

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

function within(file: string, bytes: number): string {
	if (bytes > MAX_BYTES) throw new Error(`${file} is ${Math.round(bytes / 1024)} KiB, over the ${MAX_BYTES / 1024} KiB the README allows`);
	return `${join(SCREENSHOT_DIR, file)} (${Math.round(bytes / 1024)} KiB)`;
}

async function box(locator: Locator, what: string): Promise<{ x: number; y: number; width: number; height: number }> {
	const found = await locator.boundingBox();
	if (found === null) throw new Error(`the editor shows no ${what}`);
	return found;
}

/** Writes both PNGs under n8n-node/docs and returns what it wrote. */
export async function takeEditorScreenshots(session: N8nSession, workflowId: string = ACTION_WORKFLOW_ID): Promise<string[]> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const browser = await launchBrowser();
	try {
		const { context, page } = browser;
		await context.addCookies([{ name: 'n8n-auth', value: session.authCookie, url: session.baseUrl }]);
		await page.goto(`${session.baseUrl}/workflow/${workflowId}`);
		await page.getByTestId('canvas-node').first().waitFor({ state: 'visible', timeout: 60_000 });
		await dismissOverlays(page);
		const written: string[] = [];

		// The node panel lists the package's actions under one "Cal.com" entry, grouped by resource
		// (the built-in Cal.com Trigger is the other "Cal.com" entry, hence the OAuth2 filter).
		await page.getByTestId('node-creator-plus-button').click();
		const creator = page.getByTestId('node-creator');
		await creator.getByRole('textbox').first().fill('Cal.com');
		await creator.getByTestId('item-iterator-item').filter({ hasText: 'OAuth2' }).first().click();
		await creator.getByText('Create a booking').first().waitFor({ state: 'visible' });
		await creator.getByText('Get many available slots').first().waitFor({ state: 'visible' });
		await page.waitForTimeout(500);
		written.push(within(SCREENSHOTS.operations, (await creator.screenshot({ path: join(SCREENSHOT_DIR, SCREENSHOTS.operations), animations: 'disabled' })).length));
		await page.keyboard.press('Escape');
		await page.waitForTimeout(500);

		// The Create Booking node's parameters, opened from the canvas, cropped to the parameter column.
		await page.getByTestId('canvas-node').filter({ hasText: ACTION_NODES.create }).first().dblclick();
		const parameters = page.getByTestId('node-parameters');
		await parameters.getByText('Attendee Time Zone').first().waitFor({ state: 'visible' });
		// Off the fields, so no hover controls show in the picture.
		await page.mouse.move(2, 2);
		await page.waitForTimeout(800);
		const column = await box(parameters, 'parameter panel');
		const tabs = await box(page.getByTestId('tab-params'), 'Parameters tab');
		const last = await box(parameters.getByTestId('parameter-item').filter({ visible: true, hasText: 'Additional Fields' }).last(), 'last parameter (Additional Fields)');
		const clip = { x: column.x - 8, y: tabs.y - 8, width: column.width + 16, height: last.y + last.height + 16 - (tabs.y - 8) };
		written.push(within(SCREENSHOTS.create, (await page.screenshot({ path: join(SCREENSHOT_DIR, SCREENSHOTS.create), clip, animations: 'disabled' })).length));
		return written;
	} finally {
		await browser.close();
	}
}
