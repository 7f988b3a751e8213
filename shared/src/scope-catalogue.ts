/**
 * Every OAuth scope name Cal.com is known to accept, with a short description for consent and
 * settings screens.
 *
 * Sources: `enum AccessScope` in Cal.com's Prisma schema (30 RESOURCE_ACTION scopes plus the two
 * legacy names, 2026) and the approved list Cal.com's own chat client requests (Aug 2026), which adds
 * webhook, credits, insights, routing-form, workflow, verified-resource and attribute scopes.
 */

/** One catalogue entry. */
export interface ScopeInfo {
  name: string;
  description: string;
  /** `user` scopes act on the connected account, `team`/`org` on its teams or organization. */
  family: 'user' | 'team' | 'org' | 'legacy';
}

const RESOURCES: Readonly<Record<string, string>> = {
  EVENT_TYPE: 'event types',
  BOOKING: 'bookings',
  SCHEDULE: 'availability schedules',
  PROFILE: 'profile',
  APPS: 'installed apps and calendar connections',
  MEMBERSHIP: 'memberships',
  WEBHOOK: 'webhooks',
  VERIFIED_RESOURCES: 'verified emails and phone numbers',
  CREDITS: 'credits',
  INSIGHTS: 'insights',
  ROUTING_FORM: 'routing forms',
  WORKFLOW: 'workflows',
  ATTRIBUTES: 'attributes',
};

const OWNER: Readonly<Record<ScopeInfo['family'], string>> = {
  user: 'your',
  team: "your teams'",
  org: "your organization's",
  legacy: 'your',
};

function entries(family: 'user' | 'team' | 'org', resource: string, actions: readonly ('READ' | 'WRITE')[]): ScopeInfo[] {
  const prefix = family === 'user' ? '' : `${family.toUpperCase()}_`;
  const what = RESOURCES[resource] ?? resource.toLowerCase();
  return actions.map((action) => ({
    name: `${prefix}${resource}_${action}`,
    family,
    description: `${action === 'READ' ? 'Read' : 'Create, change and delete'} ${OWNER[family]} ${what}`,
  }));
}

const RW = ['READ', 'WRITE'] as const;
const R = ['READ'] as const;

/** The catalogue in Cal.com's order: user, team, org, later additions, then the two legacy names. */
export const SCOPE_CATALOGUE: readonly ScopeInfo[] = Object.freeze([
  ...['EVENT_TYPE', 'BOOKING', 'SCHEDULE', 'APPS', 'PROFILE'].flatMap((r) => entries('user', r, RW)),
  ...['EVENT_TYPE', 'BOOKING', 'SCHEDULE', 'PROFILE', 'MEMBERSHIP'].flatMap((r) => entries('team', r, RW)),
  ...['EVENT_TYPE', 'BOOKING', 'SCHEDULE', 'PROFILE', 'MEMBERSHIP'].flatMap((r) => entries('org', r, RW)),
  // Later 2026 additions.
  ...entries('user', 'WEBHOOK', RW),
  ...entries('user', 'VERIFIED_RESOURCES', RW),
  ...entries('user', 'CREDITS', RW),
  ...entries('user', 'INSIGHTS', R),
  ...['APPS', 'ROUTING_FORM', 'WORKFLOW', 'VERIFIED_RESOURCES'].flatMap((r) => entries('team', r, RW)),
  ...entries('team', 'INSIGHTS', R),
  ...['ROUTING_FORM', 'WEBHOOK'].flatMap((r) => entries('org', r, RW)),
  ...entries('org', 'INSIGHTS', R),
  ...entries('org', 'ATTRIBUTES', RW),
  { name: 'READ_BOOKING', family: 'legacy', description: 'Read your bookings (legacy name of BOOKING_READ)' },
  { name: 'READ_PROFILE', family: 'legacy', description: 'Read your profile (legacy name of PROFILE_READ)' },
] satisfies ScopeInfo[]);

/** Legacy scope names (clients registered before 2026) and the current scope each one grants. */
export const LEGACY_SCOPE_EQUIVALENTS: Readonly<Record<string, string>> = Object.freeze({
  READ_BOOKING: 'BOOKING_READ',
  READ_PROFILE: 'PROFILE_READ',
});

const BY_NAME = new Map(SCOPE_CATALOGUE.map((info) => [info.name, info]));

/** Looks up a scope by exact (upper-case) name. */
export function getScopeInfo(name: string): ScopeInfo | undefined {
  return BY_NAME.get(name);
}

/** Every current (non-legacy) scope name. */
export const CURRENT_SCOPE_NAMES: readonly string[] = Object.freeze(
  SCOPE_CATALOGUE.filter((info) => info.family !== 'legacy').map((info) => info.name),
);
