import { BOOKING_OPERATIONS, type OperationKey } from '@calcom-oauth/shared';

/**
 * Zapier's wording for the core's operations, in one place: labels as the catalogue names them
 * (title case), descriptions starting with what the step does ("Creates …", "Cancels …", "Finds …"),
 * and the permission the connection needs when Cal.com asks for one.
 */
const ZAPIER_OPENINGS: Partial<Record<OperationKey, { from: RegExp; to: string }>> = {
  // Zapier's convention for a step that makes a new object is "Creates …".
  create_booking: { from: /^Books /, to: 'Creates a booking of ' },
};

function permissionNote(key: OperationKey): string {
  const { scope } = BOOKING_OPERATIONS[key];
  return scope === null ? '' : ` Needs the ${scope} permission on the connection.`;
}

export interface ZapierDisplay {
  label: string;
  description: string;
}

/** Label and description of the create or search over the core operation `key`. */
export function zapierDisplay(key: OperationKey, label: string = BOOKING_OPERATIONS[key].name): ZapierDisplay {
  const operation = BOOKING_OPERATIONS[key];
  const opening = ZAPIER_OPENINGS[key];
  const description = opening === undefined ? operation.description : operation.description.replace(opening.from, opening.to);
  return { label, description: `${description}${permissionNote(key)}` };
}

/** "Find Booking" serves two core operations: one booking by uid, or a filtered search. */
export function findBookingDisplay(): ZapierDisplay {
  const byUid = BOOKING_OPERATIONS.get_booking.description.replace(/\.$/, '');
  const filtered = BOOKING_OPERATIONS.find_bookings.description.replace(/^Finds bookings/, 'or by');
  return { label: 'Find Booking', description: `${byUid}, ${filtered}` };
}
