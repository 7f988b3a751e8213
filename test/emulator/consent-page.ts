import { randomBytes } from 'node:crypto';
import { authorizeParamsFrom, decideAuthorize, evaluateAuthorize, type AuthorizeOutcome } from './authorize';
import { cookies, escapeHtml, formFields, htmlResponse, redirectResponse, type EmuRequest, type EmuResponse } from './http';
import type { OAuthService } from './oauth-service';
import type { EmulatorState } from './state';
import type { User } from './types';

const SESSION_COOKIE = 'calcom_emulator_session';

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} | Cal.com (emulator)</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;color:#111}
button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}.error{color:#b00020}
label{display:block;margin:.5rem 0}</style></head>
<body>${body}</body></html>`;
}

export function signedInUser(state: EmulatorState, req: EmuRequest): User | undefined {
  const session = cookies(req)[SESSION_COOKIE];
  const userId = session ? state.sessions.get(session) : undefined;
  const id = userId ?? state.settings.signedInUserId;
  return id === null || id === undefined ? undefined : state.store.users.get(id);
}

function renderOutcome(outcome: AuthorizeOutcome, req: EmuRequest, user: User): EmuResponse {
  switch (outcome.kind) {
    case 'redirect':
      return redirectResponse(outcome.location);
    case 'blank':
      return htmlResponse(200, page('Authorize', '<main id="oauth-authorize"></main>'));
    case 'page-error':
      return htmlResponse(200, page('Authorize', `<main id="oauth-authorize"><h1>Authorization failed</h1><p class="error" role="alert">${escapeHtml(outcome.message)}</p></main>`));
    case 'consent': {
      const scopes = outcome.scopes.length > 0
        ? `<ul>${outcome.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`
        : '<p>Basic access to your account.</p>';
      const action = `/auth/oauth2/authorize${req.url.search}`;
      return htmlResponse(200, page('Authorize', `<main id="oauth-authorize">
<h1>${escapeHtml(outcome.client.name)} would like access to your Cal.com account</h1>
<p>Signed in as <strong>${escapeHtml(user.email)}</strong></p>
${scopes}
<form method="post" action="${escapeHtml(action)}">
<button type="submit" name="decision" value="deny">Go back</button>
<button type="submit" name="decision" value="allow">Allow</button>
</form></main>`));
    }
  }
}

/** `GET /auth/oauth2/authorize`: the consent screen (or a login redirect, page error, or redirect). */
export function authorizePage(state: EmulatorState, oauth: OAuthService, req: EmuRequest): EmuResponse {
  const user = signedInUser(state, req);
  if (!user) {
    const callbackUrl = `auth/oauth2/authorize${req.url.search}`;
    return redirectResponse(`/auth/login?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  }
  const params = authorizeParamsFrom(req.url.searchParams);
  const outcome = evaluateAuthorize(state, oauth, params, user);
  if (outcome.kind === 'consent' && outcome.client.isTrusted && state.behaviour.trustedClients) {
    return renderOutcome(decideAuthorize(state, oauth, params, user, 'allow'), req, user);
  }
  return renderOutcome(outcome, req, user);
}

/** `POST /auth/oauth2/authorize`: the Allow / Go back buttons. */
export function authorizeDecision(state: EmulatorState, oauth: OAuthService, req: EmuRequest): EmuResponse {
  const user = signedInUser(state, req);
  if (!user) return redirectResponse(`/auth/login?callbackUrl=${encodeURIComponent(`auth/oauth2/authorize${req.url.search}`)}`);
  const decision = formFields(req).decision === 'allow' ? 'allow' : 'deny';
  return renderOutcome(decideAuthorize(state, oauth, authorizeParamsFrom(req.url.searchParams), user, decision), req, user);
}

function loginForm(callbackUrl: string, error?: string): string {
  return page('Sign in', `<main><h1>Sign in to Cal.com</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/auth/login">
<input type="hidden" name="callbackUrl" value="${escapeHtml(callbackUrl)}">
<label>Email or username <input name="email" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form></main>`);
}

/** Only same-site relative callbacks, so the login form is not an open redirect. */
function safeCallback(raw: string | undefined): string {
  const value = (raw ?? '').replace(/^\/+/, '');
  return /^[a-zA-Z0-9]/.test(value) && !value.includes('//') ? `/${value}` : '/';
}

export function loginPage(req: EmuRequest): EmuResponse {
  return htmlResponse(200, loginForm(req.url.searchParams.get('callbackUrl') ?? ''));
}

export function loginSubmit(state: EmulatorState, req: EmuRequest): EmuResponse {
  const fields = formFields(req);
  const user = state.store.userByLogin(fields.email ?? '');
  if (!user || user.password !== fields.password) {
    return htmlResponse(401, loginForm(fields.callbackUrl ?? '', 'Email or password is incorrect.'));
  }
  const session = randomBytes(24).toString('hex');
  state.sessions.set(session, user.id);
  return redirectResponse(safeCallback(fields.callbackUrl), {
    'set-cookie': `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`,
  });
}

export function logout(state: EmulatorState, req: EmuRequest): EmuResponse {
  const session = cookies(req)[SESSION_COOKIE];
  if (session) state.sessions.delete(session);
  return redirectResponse('/auth/login', { 'set-cookie': `${SESSION_COOKIE}=; Path=/; Max-Age=0` });
}
