/** Instant triggers (issue 12): webhook subscriptions, signed deliveries, their items and the dedupe both paths share. */
export * from './signature';
export * from './triggers';
export * from './requests';
export * from './subscribe';
export * from './delivery';
export * from './items';
export * from './dedupe';
export * from './reconcile';
export * from './receive';
