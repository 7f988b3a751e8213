import { markNoShow } from '@calcom-oauth/shared';
import { bookingUidField } from './bookingUidField';
import { defineBookingCreate } from './defineBookingCreate';
import { optionalFlag, textList } from './zapierInputs';

export const { create, perform } = defineBookingCreate({
  key: 'mark_no_show',
  noun: 'No-Show',
  sampleState: 'meeting_ended',
  inputFields: [
    bookingUidField('meeting_ended', 'The booking whose meeting has started or ended.'),
    { key: 'host', label: 'Host Absent', required: false, type: 'boolean', helpText: 'True when the host did not show up; false to mark the host present again. Leave empty to leave it unchanged.' },
    { key: 'absentAttendees', label: 'Absent Attendees (Emails)', required: false, list: true, helpText: 'Email addresses of the attendees who did not show up.' },
    { key: 'presentAttendees', label: 'Present Attendees (Emails)', required: false, list: true, helpText: 'Email addresses of attendees to mark present again.' },
  ],
  run: (ctx, input) => {
    const host = optionalFlag(input.host, 'Host Absent');
    const attendees = [
      ...textList(input.absentAttendees).map((email) => ({ email, absent: true })),
      ...textList(input.presentAttendees).map((email) => ({ email, absent: false })),
    ];
    return markNoShow(ctx, { uid: String(input.uid ?? ''), ...(host === undefined ? {} : { host }), ...(attendees.length === 0 ? {} : { attendees }) });
  },
});

export default create;
