// Filled in when the polling engine lands: one trigger per booking event.
export const bookingTriggers = [] as const;
