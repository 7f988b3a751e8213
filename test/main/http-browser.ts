/**
 * A tiny browser over plain HTTP for the emulator's consent page: it keeps cookies, follows
 * redirects one hop at a time, and fills and submits HTML forms the way a person clicking would.
 * The demo uses it to sign in and press Allow; the tests use it to play the user of a "real"
 * instance by following the authorize URL the command prints.
 *
 * It understands server-rendered forms only, which is what the emulator serves. Cal.com's own page
 * needs JavaScript, so against a real instance a person uses a real browser instead.
 */

export interface Page {
  url: URL;
  status: number;
  html: string;
}

export interface HtmlForm {
  action: URL;
  method: 'GET' | 'POST';
  /** Field values as the page pre-filled them (hidden inputs included). */
  fields: Map<string, string>;
  /** Submit buttons: their label, and the name/value they add when clicked. */
  buttons: { label: string; name?: string; value?: string }[];
  /** Names of password inputs, to recognise a sign-in form. */
  passwordFields: string[];
  /** Names of text or email inputs. */
  textFields: string[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}

function attributes(tag: string): Map<string, string> {
  const result = new Map<string, string>();
  const pattern = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  for (const match of tag.matchAll(pattern)) {
    const name = (match[1] ?? '').toLowerCase();
    if (name === '' || result.has(name)) continue;
    result.set(name, decodeEntities(match[2] ?? match[3] ?? match[4] ?? ''));
  }
  return result;
}

/** The visible text of an HTML fragment, whitespace collapsed. */
export function textOf(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every `<form>` of a page, with its inputs and submit buttons. */
export function parseForms(html: string, pageUrl: URL): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const formAttributes = attributes(match[1] ?? '');
    const body = match[2] ?? '';
    const form: HtmlForm = {
      action: new URL(formAttributes.get('action') || pageUrl.toString(), pageUrl),
      method: (formAttributes.get('method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET',
      fields: new Map(),
      buttons: [],
      passwordFields: [],
      textFields: [],
    };
    for (const input of body.matchAll(/<input\b([^>]*)>/gi)) {
      const attrs = attributes(input[1] ?? '');
      const name = attrs.get('name');
      const type = (attrs.get('type') ?? 'text').toLowerCase();
      if (type === 'submit') {
        form.buttons.push({ label: attrs.get('value') ?? 'Submit', ...(name === undefined ? {} : { name, value: attrs.get('value') ?? '' }) });
        continue;
      }
      if (name === undefined) continue;
      if ((type === 'checkbox' || type === 'radio') && !attrs.has('checked')) continue;
      form.fields.set(name, attrs.get('value') ?? (type === 'checkbox' ? 'on' : ''));
      if (type === 'password') form.passwordFields.push(name);
      if (type === 'text' || type === 'email') form.textFields.push(name);
    }
    for (const select of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attributes(select[1] ?? '').get('name');
      if (name === undefined) continue;
      const options = [...(select[2] ?? '').matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)];
      const chosen = options.find((option) => attributes(option[1] ?? '').has('selected')) ?? options[0];
      if (chosen !== undefined) form.fields.set(name, attributes(chosen[1] ?? '').get('value') ?? textOf(chosen[2] ?? ''));
    }
    for (const button of body.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
      const attrs = attributes(button[1] ?? '');
      const type = (attrs.get('type') ?? 'submit').toLowerCase();
      if (type !== 'submit') continue;
      const name = attrs.get('name');
      form.buttons.push({ label: textOf(button[2] ?? ''), ...(name === undefined ? {} : { name, value: attrs.get('value') ?? '' }) });
    }
    forms.push(form);
  }
  return forms;
}

/** A cookie-keeping, redirect-following HTTP client that behaves like a browser tab. */
export class HttpBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();
  /** Every URL the tab visited, in order (useful to show the consent steps). */
  readonly visited: URL[] = [];

  constructor(private readonly maxRedirects = 20) {}

  /** Loads `url`, following redirects, and returns the page where the tab stops. */
  open(url: string | URL): Promise<Page> {
    return this.navigate(new URL(url.toString()), 'GET');
  }

  /**
   * Submits `form` by clicking the button whose label matches `button`, with `values` typed into
   * its fields.
   *
   * @throws Error when no such button exists.
   */
  submit(form: HtmlForm, button: RegExp, values: Record<string, string> = {}): Promise<Page> {
    const clicked = form.buttons.find((candidate) => button.test(candidate.label) || button.test(candidate.value ?? ''));
    if (clicked === undefined) {
      throw new Error(`no button matching ${button} on the form (buttons: ${form.buttons.map((b) => b.label).join(', ') || 'none'})`);
    }
    const fields = new URLSearchParams();
    for (const [name, value] of form.fields) fields.set(name, values[name] ?? value);
    for (const [name, value] of Object.entries(values)) if (!fields.has(name)) fields.set(name, value);
    if (clicked.name !== undefined) fields.set(clicked.name, clicked.value ?? '');
    if (form.method === 'GET') {
      const target = new URL(form.action.toString());
      target.search = fields.toString();
      return this.navigate(target, 'GET');
    }
    return this.navigate(form.action, 'POST', fields.toString());
  }

  private async navigate(start: URL, method: 'GET' | 'POST', body?: string): Promise<Page> {
    let url = start;
    let currentMethod = method;
    let currentBody = body;
    for (let hop = 0; hop <= this.maxRedirects; hop += 1) {
      this.visited.push(url);
      const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml', 'user-agent': 'calcom-oauth-demo-browser' };
      const cookie = this.cookieHeader(url);
      if (cookie !== '') headers.cookie = cookie;
      if (currentBody !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(url, {
        method: currentMethod,
        headers,
        redirect: 'manual',
        ...(currentBody === undefined ? {} : { body: currentBody }),
      });
      this.storeCookies(url, response.headers.getSetCookie());
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.arrayBuffer();
        url = new URL(location, url);
        // 307/308 keep the method and body; every other redirect becomes a GET, as browsers do.
        if (response.status !== 307 && response.status !== 308) {
          currentMethod = 'GET';
          currentBody = undefined;
        }
        continue;
      }
      return { url, status: response.status, html: await response.text() };
    }
    throw new Error(`more than ${this.maxRedirects} redirects starting at ${start.origin}${start.pathname}`);
  }

  private cookieHeader(url: URL): string {
    const jar = this.cookies.get(url.host);
    return jar === undefined ? '' : [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private storeCookies(url: URL, setCookies: string[]): void {
    for (const line of setCookies) {
      const pair = line.split(';')[0] ?? '';
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const jar = this.cookies.get(url.host) ?? new Map<string, string>();
      const name = pair.slice(0, equals).trim();
      const value = pair.slice(equals + 1).trim();
      if (/max-age=0\b|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
      this.cookies.set(url.host, jar);
    }
  }
}
