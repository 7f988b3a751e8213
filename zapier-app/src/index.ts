import { defineApp, version as platformVersion } from 'zapier-platform-core';
import packageJson from '../package.json';
import { authentication } from './authentication';
import { handleCalcomErrors, includeBearerToken } from './middleware';
import eventTypeList from './triggers/eventTypeList';
import { bookingTriggers } from './triggers';

const triggers = Object.fromEntries([eventTypeList, ...bookingTriggers].map((trigger) => [trigger.key, trigger]));

export default defineApp({
  version: packageJson.version,
  platformVersion,
  authentication,
  beforeRequest: [includeBearerToken],
  afterResponse: [handleCalcomErrors],
  // Cal.com's 429 carries its wait in X-RateLimit-Reset-Default; core's early handler only reads Retry-After.
  flags: { throwForThrottlingEarly: false },
  triggers,
});
