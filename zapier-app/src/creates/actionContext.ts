import type { Bundle, ZObject } from 'zapier-platform-core';
import type { ActionContext } from '@calcom-oauth/shared';
import { instanceOf } from '../connection';
import { connectionSecrets } from '../errors';
import { createExecutor } from '../transport';

/** What the shared booking operations need, from this Zapier call: its requests go through `z.request`. */
export function actionContextFor(z: ZObject, bundle: Partial<Pick<Bundle, 'authData' | 'inputData'>>): ActionContext {
  const instance = instanceOf(bundle);
  return { execute: createExecutor(z, instance), instance, knownSecrets: connectionSecrets(bundle) };
}
