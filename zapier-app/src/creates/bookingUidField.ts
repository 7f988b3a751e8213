/**
 * The booking uid input of every create that acts on a booking: a mapped value from an earlier step,
 * or a pick from a dropdown of recent bookings fed by the trigger that lists the bookings this action
 * fits (new bookings, requests, ended meetings), with a "Find Booking" search step offered next to it
 * (a search-powered field pairs `search` with `dynamic`).
 */
export function bookingUidField(listedBy: 'booking_created' | 'booking_requested' | 'meeting_ended', helpText: string) {
  return {
    key: 'uid',
    label: 'Booking UID',
    required: true,
    dynamic: `${listedBy}.bookingUid.title`,
    search: 'find_booking.id',
    helpText: `${helpText} Map the Booking UID from an earlier step (for example "Find Booking"), or pick a recent booking.`,
  } as const;
}
