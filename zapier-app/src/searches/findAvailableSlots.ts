import { defineSearch, type SearchPerform } from 'zapier-platform-core';
import { findAvailableSlots, type Slot } from '@calcom-oauth/shared';
import { withZapierErrors } from '../errors';
import { actionContextFor } from '../creates/actionContext';
import { zapierDisplay } from '../creates/wording';
import { optionalNumber, optionalText } from '../creates/zapierInputs';

/** One free start time; `id` is its UTC start, unique among the slots of one search. */
export type ZapierSlot = {
  id: string;
  start: string;
  startUtc: string;
  end: string | null;
  endUtc: string | null;
  timeZone: string;
};

function toZapierSlot(slot: Slot): ZapierSlot {
  return { id: slot.startUtc, start: slot.start, startUtc: slot.startUtc, end: slot.end ?? null, endUtc: slot.endUtc ?? null, timeZone: slot.timeZone };
}

export const perform = (async (z, bundle) =>
  withZapierErrors(z, 'run', async () => {
    const input = bundle.inputData as Record<string, unknown>;
    const timeZone = optionalText(input.timeZone);
    const duration = optionalNumber(input.duration);
    const slots = await findAvailableSlots(actionContextFor(z, bundle), {
      eventTypeId: optionalNumber(input.eventTypeId) as number,
      start: String(input.start ?? ''),
      end: String(input.end ?? ''),
      ...(timeZone === undefined ? {} : { timeZone }),
      ...(duration === undefined ? {} : { duration }),
    });
    return slots.map(toZapierSlot);
  }, bundle)) satisfies SearchPerform<Record<string, unknown>, ZapierSlot>;

const SAMPLE: ZapierSlot = {
  id: '2026-12-03T15:00:00.000Z',
  start: '2026-12-03T16:00:00.000+01:00',
  startUtc: '2026-12-03T15:00:00.000Z',
  end: '2026-12-03T16:30:00.000+01:00',
  endUtc: '2026-12-03T15:30:00.000Z',
  timeZone: 'Europe/Berlin',
};

export default defineSearch({
  key: 'find_available_slots',
  noun: 'Slot',
  display: zapierDisplay('find_available_slots'),
  operation: {
    perform,
    inputFields: [
      { key: 'eventTypeId', label: 'Event Type', required: true, dynamic: 'event_type_list.id.title' },
      { key: 'start', label: 'From', required: true, type: 'datetime', helpText: 'Start of the range to search: a date (2026-05-04) or a date and time with an offset or Z.' },
      { key: 'end', label: 'To', required: true, type: 'datetime', helpText: 'End of the range to search: a date (the whole day counts) or a date and time with an offset or Z.' },
      { key: 'timeZone', label: 'Time Zone', required: false, default: 'UTC', helpText: 'IANA time zone the slots are written in, such as Europe/Berlin. Each slot is also given in UTC.' },
      { key: 'duration', label: 'Duration (Minutes)', required: false, type: 'integer', helpText: 'For event types with several durations; leave empty for the default.' },
    ],
    outputFields: [
      { key: 'id', label: 'Slot ID', type: 'string' },
      { key: 'start', label: 'Start', type: 'datetime' },
      { key: 'startUtc', label: 'Start (UTC)', type: 'datetime' },
      { key: 'end', label: 'End', type: 'datetime' },
      { key: 'endUtc', label: 'End (UTC)', type: 'datetime' },
      { key: 'timeZone', label: 'Time Zone', type: 'string' },
    ],
    sample: SAMPLE,
  },
});
