import { coreApiProperty, coreSettingsProperty, coreTokenProperty } from './core';
import { corePollProperty } from './core-poll';
import { n8nProperty } from './n8n';
import type { FuzzProperty } from './runner';
import type { ConnectionSecrets } from './secrets';
import { zapierProperty } from './zapier';

/** Every property of the suite, in the order the runner prints them. */
export const PROPERTIES: ReadonlyArray<FuzzProperty<{ secrets: ConnectionSecrets } & never>> = [
  coreTokenProperty,
  coreApiProperty,
  coreSettingsProperty,
  corePollProperty,
  zapierProperty,
  n8nProperty,
] as unknown as ReadonlyArray<FuzzProperty<{ secrets: ConnectionSecrets } & never>>;
