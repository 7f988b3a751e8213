/**
 * Cal.com knowledge lives in shared/ only (README "Where things are"): no adapter source line spells
 * a Cal.com host, an API path, a scope name or a `cal-api-version` value. Comments may (they cite
 * Cal.com), and sample data may carry timestamps that merely look like dates.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

import { API_VERSION_BY_GROUP, CALCOM_CLOUD, CALCOM_EU, LEGACY_SCOPE_NAMES, SCOPE_CATALOGUE } from '@calcom-oauth/shared';

const ROOT = path.join(__dirname, '..');
const ADAPTER_SOURCES = ['zapier-app/src', 'n8n-node/credentials', 'n8n-node/nodes'];

/** The text with every comment blanked out, line breaks kept so line numbers still match. */
function withoutComments(source: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  let out = '';
  let braceDepth = 0;
  /** Brace depth at which each open `${…}` of a template literal closes. */
  const templateDepth: number[] = [];
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    const text = scanner.getTokenText();
    const isComment = token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia;
    out += isComment ? text.replace(/[^\n]/g, ' ') : text;
    // Template literals: the scanner needs to be told where a `${…}` ends to keep reading the string.
    if (token === ts.SyntaxKind.CloseBraceToken && templateDepth.length > 0 && templateDepth[templateDepth.length - 1] === braceDepth) {
      templateDepth.pop();
      const rest = scanner.reScanTemplateToken(false);
      out = out.slice(0, out.length - text.length) + scanner.getTokenText();
      if (rest === ts.SyntaxKind.TemplateMiddle) templateDepth.push(braceDepth);
      continue;
    }
    if (token === ts.SyntaxKind.TemplateHead) templateDepth.push(braceDepth);
    if (token === ts.SyntaxKind.OpenBraceToken) braceDepth += 1;
    if (token === ts.SyntaxKind.CloseBraceToken) braceDepth -= 1;
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const hosts = [...new Set([CALCOM_CLOUD.appUrl, CALCOM_CLOUD.apiUrl, CALCOM_EU.appUrl, CALCOM_EU.apiUrl].map((url) => new URL(url).hostname))];
const bareDomains = [...new Set(hosts.map((host) => host.split('.').slice(-2).join('.')))];
const scopeNames = [...new Set([...SCOPE_CATALOGUE.map((scope) => scope.name), ...LEGACY_SCOPE_NAMES])];
const versions = [...new Set((Object.values(API_VERSION_BY_GROUP) as Array<string | undefined>).filter((value): value is string => value !== undefined)), '2024-04-15'];

/** What counts as Cal.com knowledge, each with the reason shown when it appears. */
const RULES: ReadonlyArray<{ what: string; pattern: RegExp }> = [
  // A host, not an email domain or a sub-domain of something else (`icsUid: '…@cal.com'`, `api.cal.example.com`).
  { what: 'a Cal.com host', pattern: new RegExp(`(?<![\\w.@-])(?:${[...hosts, ...bareDomains].map(escape).join('|')})(?![\\w-]|\\.\\w)`) },
  { what: 'a Cal.com API path', pattern: /\/(?:v2\/[a-z]|api\/auth\/)/i },
  { what: 'a Cal.com scope name', pattern: new RegExp(`\\b(?:${scopeNames.map(escape).join('|')})\\b`) },
  // The exact values only, and not as the date part of a timestamp in sample data.
  { what: 'a cal-api-version value', pattern: new RegExp(`\\b(?:${versions.map(escape).join('|')})\\b(?!T\\d)`) },
];

function findCalcomKnowledge(source: string): string[] {
  const findings: string[] = [];
  withoutComments(source)
    .split('\n')
    .forEach((line, index) => {
      for (const rule of RULES) {
        const match = rule.pattern.exec(line);
        if (match !== null) findings.push(`line ${index + 1}: ${rule.what} ("${match[0]}"): ${line.trim()}`);
      }
    });
  return findings;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.d.ts') ? [full] : [];
  });
}

describe('no Cal.com knowledge outside shared/', () => {
  const files = ADAPTER_SOURCES.flatMap((dir) => sourceFiles(path.join(ROOT, dir)));

  it('reads the adapter sources', () => {
    expect(files.length).toBeGreaterThan(15);
    expect(files.some((file) => file.endsWith('CalComOAuth2Api.credentials.ts'))).toBe(true);
  });

  it('finds no host, API path, scope name or cal-api-version value in adapter code (comments aside)', () => {
    const findings = files.flatMap((file) => findCalcomKnowledge(readFileSync(file, 'utf8')).map((finding) => `${path.relative(ROOT, file)} ${finding}`));
    expect(findings).toEqual([]);
  });
});

describe('the detector', () => {
  it.each([
    ["const url = 'https://api.cal.com';", 'a Cal.com host'],
    ["const base = `https://app.cal.eu/${path}`;", 'a Cal.com host'],
    ["const site = 'cal.com';", 'a Cal.com host'],
    ["url: '/v2/me',", 'a Cal.com API path'],
    ["const token = base + '/api/auth/oauth/token';", 'a Cal.com API path'],
    ["scopes: ['BOOKING_READ'],", 'a Cal.com scope name'],
    ["const legacy = 'READ_PROFILE';", 'a Cal.com scope name'],
    ["headers: { 'cal-api-version': '2024-08-13' },", 'a cal-api-version value'],
    ['const inside = `${a} 2024-06-14 ${b}`;', 'a cal-api-version value'],
  ])('flags %s', (line, what) => {
    expect(findCalcomKnowledge(line).join('\n')).toContain(what);
  });

  it.each([
    '// GET /v2/bookings needs BOOKING_READ at 2024-08-13 on https://api.cal.com',
    '/** `cal-api-version: 2024-08-13`, READ_BOOKING, /v2/me */ const x = 1;',
    "start: '2024-08-13T15:00:00.000Z',",
    "icsUid: 'qA7dFk2m@cal.com',",
    "placeholder: 'https://api.cal.example.com',",
    "const text = 'see // not a comment';",
    'const re = `${a}/${b}`; // /v2/me',
  ])('lets %s through', (line) => {
    expect(findCalcomKnowledge(line)).toEqual([]);
  });

  it('keeps line numbers across stripped block comments', () => {
    expect(findCalcomKnowledge("/*\n * BOOKING_READ\n */\nconst scope = 'PROFILE_READ';")).toEqual([expect.stringMatching(/^line 4: a Cal\.com scope name/)]);
  });
});
