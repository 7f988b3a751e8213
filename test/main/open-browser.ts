/**
 * Opens a URL in the user's browser when the machine has one. Never required: the URL is always
 * printed too, and on servers, containers and CI nothing is launched.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function findOnPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** The opener to use here, or `undefined` when no graphical browser can be reached. */
export function browserOpener(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false') return undefined;
  if (platform === 'darwin') return findOnPath('open', env);
  if (platform === 'linux' || platform === 'freebsd' || platform === 'openbsd') {
    const graphical = (env.DISPLAY ?? '') !== '' || (env.WAYLAND_DISPLAY ?? '') !== '';
    return graphical ? findOnPath('xdg-open', env) : undefined;
  }
  return undefined;
}

/** Tries to open `url`; returns true when an opener was launched. Failures are silent by design. */
export function openInBrowser(url: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const opener = browserOpener(env);
  if (opener === undefined) return false;
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
