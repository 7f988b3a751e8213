import { defineApp, version as platformVersion } from 'zapier-platform-core';
import packageJson from '../package.json';
import { authentication } from './authentication';
import { handleCalcomErrors, includeBearerToken } from './middleware';
import eventTypeList from './triggers/eventTypeList';
import { bookingTriggers } from './triggers';
import { bookingInstantTriggers } from './triggers/bookingInstantTriggers';
import { bookingCreates } from './creates';
import { bookingSearches } from './searches';

const triggers = Object.fromEntries([eventTypeList, ...bookingTriggers, ...bookingInstantTriggers].map((trigger) => [trigger.key, trigger]));
const creates = Object.fromEntries(bookingCreates.map((create) => [create.key, create]));
const searches = Object.fromEntries(bookingSearches.map((search) => [search.key, search]));

export default defineApp({
  version: packageJson.version,
  platformVersion,
  authentication,
  beforeRequest: [includeBearerToken],
  afterResponse: [handleCalcomErrors],
  flags: {
    // Cal.com's 429 carries its wait in X-RateLimit-Reset-Default; core's early handler only reads Retry-After.
    throwForThrottlingEarly: false,
    // Every call goes through z.request, which Zapier logs already; core's process-wide patch of
    // http/https/fetch would only add a global side effect (it outlives each call in tests and in the
    // long-running host, and bypasses interceptors loaded after it).
    skipHttpPatch: true,
  },
  triggers,
  creates,
  searches,
});
