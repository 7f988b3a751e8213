/**
 * Goes through a server-rendered consent page as a person would: open the authorize URL, sign in
 * when asked, then press Allow (or Go back). Used by the demo against the embedded emulator, and by
 * the tests that play the user of a "real" instance.
 */
import { HttpBrowser, parseForms, textOf, type HtmlForm, type Page } from './http-browser';

export interface ConsentOptions {
  email: string;
  password: string;
  decision: 'allow' | 'deny';
  /** Reports each step ("signed in as …", "pressed Allow") for the log. */
  onStep?: (text: string) => void;
}

export interface ConsentOutcome {
  /** Where the tab stopped: the redirect URI with `code`/`error`, or a page of the instance. */
  finalPage: Page;
  /** The visible text of that page (Cal.com shows client, redirect and approval problems as text). */
  text: string;
}

const ALLOW = /^\s*(allow|authori[sz]e|accept)\b/i;
const DENY = /^\s*(go back|deny|cancel|decline)\b/i;

function isSignInForm(form: HtmlForm): boolean {
  return form.passwordFields.length > 0;
}

/**
 * Follows `authorizeUrl` through sign-in and consent and returns the page the tab ends on.
 * Stops as soon as a page offers neither a sign-in form nor a consent button: the redirect
 * listener's page on success, or the instance's error text.
 */
export async function completeConsent(authorizeUrl: string, options: ConsentOptions, browser = new HttpBrowser()): Promise<ConsentOutcome> {
  let page = await browser.open(authorizeUrl);
  let signedIn = false;
  for (let step = 0; step < 6; step += 1) {
    const forms = parseForms(page.html, page.url);
    const signIn = forms.find(isSignInForm);
    if (signIn !== undefined && !signedIn) {
      const values: Record<string, string> = {};
      const login = signIn.textFields[0];
      const password = signIn.passwordFields[0];
      if (login !== undefined) values[login] = options.email;
      if (password !== undefined) values[password] = options.password;
      const button = signIn.buttons[0];
      page = await browser.submit(signIn, button === undefined ? /.*/ : new RegExp(`^${escapeRegExp(button.label)}$`), values);
      signedIn = true;
      options.onStep?.(`signed in to the consent page as ${options.email}`);
      continue;
    }
    const wanted = options.decision === 'allow' ? ALLOW : DENY;
    const consent = forms.find((form) => form.buttons.some((button) => wanted.test(button.label)));
    if (consent !== undefined) {
      const label = consent.buttons.find((button) => wanted.test(button.label))?.label ?? '';
      options.onStep?.(`pressed "${label}" on the consent page`);
      page = await browser.submit(consent, wanted);
      continue;
    }
    break;
  }
  return { finalPage: page, text: textOf(page.html) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
