/**
 * A URL the user typed, as an error message may quote it. The user typed it, so the scheme, host and
 * path are theirs to read back; the parts that carry credentials (user info, the query, the
 * fragment) are not quoted, since a pasted URL often holds a token or key there and messages reach
 * platform logs. Works on text the URL parser refuses too, since those are the values that get quoted.
 */

/** Scheme and slashes (`https://`, `https:\\`, `//`), after which the authority starts. */
const LEAD = /^(?:[a-z][a-z0-9+.-]*:)?[/\\]*/i;

export function showTypedUrl(text: string): string {
  const cut = text.search(/[?#]/);
  const tail = cut === -1 ? '' : `${text[cut]}…`;
  const beforeQuery = cut === -1 ? text : text.slice(0, cut);
  const lead = LEAD.exec(beforeQuery)?.[0] ?? '';
  const rest = beforeQuery.slice(lead.length);
  const authorityEnd = rest.search(/[/\\]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const path = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  // The last "@" ends the user info, as the WHATWG parser reads it.
  const at = authority.lastIndexOf('@');
  const host = at === -1 ? authority : `…@${authority.slice(at + 1)}`;
  return `${lead}${host}${path}${tail}`;
}
