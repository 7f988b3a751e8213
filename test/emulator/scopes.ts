/** Cal.com's scope vocabulary (shared/CALCOM.md §6). The list is open-ended: later 2026 additions are included. */

export const LEGACY_SCOPES = ['READ_BOOKING', 'READ_PROFILE'] as const;

const RESOURCES_USER = ['EVENT_TYPE', 'BOOKING', 'SCHEDULE', 'APPS', 'PROFILE'];
const RESOURCES_TEAM = ['EVENT_TYPE', 'BOOKING', 'SCHEDULE', 'PROFILE', 'MEMBERSHIP'];
const LATER_ADDITIONS = [
  'WEBHOOK_READ', 'WEBHOOK_WRITE', 'VERIFIED_RESOURCES_READ', 'VERIFIED_RESOURCES_WRITE', 'CREDITS_READ',
  'CREDITS_WRITE', 'INSIGHTS_READ', 'TEAM_APPS_READ', 'TEAM_APPS_WRITE', 'TEAM_ROUTING_FORM_READ',
  'TEAM_ROUTING_FORM_WRITE', 'TEAM_WORKFLOW_READ', 'TEAM_WORKFLOW_WRITE', 'TEAM_VERIFIED_RESOURCES_READ',
  'TEAM_VERIFIED_RESOURCES_WRITE', 'TEAM_INSIGHTS_READ', 'ORG_ROUTING_FORM_READ', 'ORG_ROUTING_FORM_WRITE',
  'ORG_WEBHOOK_READ', 'ORG_WEBHOOK_WRITE', 'ORG_INSIGHTS_READ', 'ORG_ATTRIBUTES_READ', 'ORG_ATTRIBUTES_WRITE',
];

const both = (prefix: string, resources: string[]): string[] =>
  resources.flatMap((r) => [`${prefix}${r}_READ`, `${prefix}${r}_WRITE`]);

/** The 30 resource scopes of the 2026 enum plus later additions. */
export const NEW_SCOPES: readonly string[] = [
  ...both('', RESOURCES_USER),
  ...both('TEAM_', RESOURCES_TEAM),
  ...both('ORG_', RESOURCES_TEAM),
  ...LATER_ADDITIONS,
];

export const ALL_KNOWN_SCOPES: ReadonlySet<string> = new Set<string>([...LEGACY_SCOPES, ...NEW_SCOPES]);

export function isLegacyScope(scope: string): boolean {
  return (LEGACY_SCOPES as readonly string[]).includes(scope);
}

/** A client (or token) whose scopes are empty or only legacy names: unrestricted on v2, no scope required. */
export function isLegacyScopeSet(scopes: readonly string[]): boolean {
  return scopes.every(isLegacyScope);
}

/** 2026 page: split on commas and/or spaces. */
export function parseScopeParam2026(raw: string | null): string[] {
  if (!raw) return [];
  return raw.split(/[, ]+/).filter((s) => s.length > 0);
}

/** Legacy page: `scope.split(",")`, nothing else. */
export function parseScopeParamLegacy(raw: string | null): string[] {
  if (!raw) return [];
  return raw.split(',').filter((s) => s.length > 0);
}

/** Whether `held` satisfies `required`; an ORG_* scope satisfies the matching TEAM_* scope. */
export function scopeSatisfied(required: string, held: readonly string[]): boolean {
  if (held.includes(required)) return true;
  return required.startsWith('TEAM_') && held.includes(`ORG_${required.slice('TEAM_'.length)}`);
}
