/**
 * The sentence every operation's description ends with (without its final period, which n8n's lint
 * wants to see written in the description itself): which OAuth scope it needs, from the
 * core's operation catalogue, so a user or agent knows what a refusal means before it happens.
 */
export function scopeNote(scope: string | null): string {
	return scope === null
		? 'Works with any connected Cal.com credential'
		: `Needs the ${scope} scope on the Cal.com OAuth2 credential (and on its OAuth client)`;
}
