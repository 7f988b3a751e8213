/**
 * What a person does in n8n 2.41's editor to connect a Cal.com account, driven in headless Chromium:
 * add a "Cal.com OAuth2 API" credential, fill the client and the self-hosted instance URLs, press the
 * "Connect" button of the "Connect your account" banner, sign in on Cal.com's consent page in the popup
 * n8n opens, and Allow. Selectors are n8n's own `data-test-id`s (its Playwright suite uses the same).
 */
import { chromium, selectors, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (Playwright's persistent-less context is a new user-data-dir). */
export async function launchBrowser(): Promise<BrowserSession> {
  selectors.setTestIdAttribute('data-test-id');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    let closed = false;
    return {
      browser,
      context,
      page,
      async close() {
        if (closed) return;
        closed = true;
        await context.close().catch(() => undefined);
        await browser.close();
      },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

export interface OwnerAccount {
  email: string;
  password: string;
}

/** Creates n8n's owner through its REST API; the session cookie lands in the browser context. */
export async function setUpOwner(session: BrowserSession, baseUrl: string, owner: OwnerAccount): Promise<void> {
  const response = await session.context.request.post(`${baseUrl}/rest/owner/setup`, {
    data: { email: owner.email, firstName: 'Browser', lastName: 'Test', password: owner.password },
  });
  if (!response.ok()) throw new Error(`owner setup failed: HTTP ${response.status()} ${(await response.text()).slice(0, 300)}`);
}

export interface CredentialForm {
  clientId: string;
  clientSecret: string;
  appUrl: string;
  apiUrl: string;
}

const CREDENTIAL_TYPE_NAME = 'Cal.com OAuth2 API';

/** Opens "Create credential", picks our type and fills the form (nothing is saved yet). */
export async function fillNewCredential(page: Page, baseUrl: string, form: CredentialForm): Promise<void> {
  await page.goto(`${baseUrl}/home/credentials/create`);
  await page.getByPlaceholder('Search for app...').fill('Cal.com OAuth2');
  await page.getByRole('option', { name: CREDENTIAL_TYPE_NAME, exact: true }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  const modal = page.getByTestId('editCredential-modal');
  await modal.getByTestId('parameter-input-clientId').locator('input').fill(form.clientId);
  await modal.getByTestId('parameter-input-clientSecret').locator('input').fill(form.clientSecret);
  await modal.getByTestId('parameter-input-instance').click();
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: 'Self-Hosted' }).click();
  // App and API URL only appear for self-hosted (displayOptions); filling them proves they do.
  await modal.getByTestId('parameter-input-appUrl').locator('input').fill(form.appUrl);
  await modal.getByTestId('parameter-input-apiUrl').locator('input').fill(form.apiUrl);
}

/** The redirect URL n8n shows in the form (what a user would register in Cal.com). */
export async function shownRedirectUrl(page: Page): Promise<string> {
  const modal = page.getByTestId('editCredential-modal');
  const text = await modal.getByText('/rest/oauth2-credential/callback').first().innerText();
  return text.trim();
}

export interface ConsentLogin {
  email: string;
  password: string;
}

/**
 * Presses "Connect" and completes Cal.com's pages in the popup: sign-in form, then Allow. Resolves with
 * the consent page's URL (the authorize URL n8n generated) once the popup has closed itself.
 */
export async function connectThroughConsent(page: Page, login: ConsentLogin, onStage: (stage: string) => void): Promise<string> {
  const modal = page.getByTestId('editCredential-modal');
  const banner = modal.getByTestId('oauth-not-connected-banner');
  await banner.waitFor({ state: 'visible' });
  const popupOpened = page.waitForEvent('popup');
  await banner.getByTestId('quick-connect-button').click();
  const popup = await popupOpened;
  onStage('popup opened');

  await popup.getByLabel('Email or username').fill(login.email);
  await popup.getByLabel('Password').fill(login.password);
  await popup.getByRole('button', { name: 'Sign in' }).click();
  const allow = popup.getByRole('button', { name: 'Allow' });
  await allow.waitFor({ state: 'visible' });
  const consentUrl = popup.url();
  onStage('signed in, consent shown');

  // n8n's callback page reports to the editor over a BroadcastChannel and closes the popup.
  const popupClosed = popup.waitForEvent('close', { timeout: 30_000 });
  await allow.click();
  await popupClosed;
  onStage('allowed, popup closed');
  const connected = modal.getByTestId('oauth-connect-success-banner');
  await connected.waitFor({ state: 'visible', timeout: 20_000 });
  const text = (await connected.innerText()).trim();
  if (!text.includes('Account connected')) throw new Error(`the modal's success banner reads "${text}"`);
  if (await modal.getByTestId('oauth-not-connected-banner').isVisible()) throw new Error('the "Connect your account" banner is still shown');
  return consentUrl;
}

/** The credential's name as the modal shows it (n8n picks "Cal.com account", "… 2", …). */
export async function modalCredentialName(page: Page): Promise<string> {
  const name = await page.getByTestId('editCredential-modal').getByTestId('credential-name').getByTestId('inline-edit-preview').innerText();
  return name.trim();
}
