import { defineInstantBookingTrigger } from './defineInstantBookingTrigger';

export const { trigger, perform, performList, performSubscribe, performUnsubscribe } = defineInstantBookingTrigger('booking_cancelled');

export default trigger;
