import { CALCOM_CLOUD } from '../instances';

/**
 * The page Cal.com shows for one booking is `<app URL>/booking/<uid>` on every instance (Cal.com
 * source: `apps/web/app/(booking-page-wrapper)/booking/[uid]/page.tsx`); uids are URL-safe
 * short UUIDs. A regular expression (as a string, for platforms that take one) with exactly one
 * group, the uid; any host and path prefix, so self-hosted and EU links work too.
 */
export const BOOKING_PAGE_URL_PATTERN = '^https?://[^\\s?#]+?/booking/([A-Za-z0-9_-]+)';

/** A booking page URL on Cal.com's cloud, for placeholders and help texts. */
export const BOOKING_PAGE_URL_EXAMPLE = `${CALCOM_CLOUD.appUrl}/booking/2NtaeaVcKfpmSZ4CthFdfk`;

/** The uid in a booking page URL, or undefined when `url` is not one. */
export function bookingUidFromPageUrl(url: string): string | undefined {
  return new RegExp(BOOKING_PAGE_URL_PATTERN).exec(url.trim())?.[1];
}
