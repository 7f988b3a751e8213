import { defineCreate, type Bundle, type CreatePerform, type ZObject } from 'zapier-platform-core';
import type { ActionContext, BookingEventKey, BookingWriteResult, OperationKey } from '@calcom-oauth/shared';
import { BOOKING_RESULT_OUTPUT_FIELDS, type ZapierBooking } from '../bookingOutput';
import { withZapierErrors } from '../errors';
import { actionContextFor } from './actionContext';
import { bookingResultSample, toCreateResult } from './bookingResult';
import { zapierDisplay } from './wording';

/** Zapier's input field definitions, as `defineCreate` types them. */
type InputFields = NonNullable<Parameters<typeof defineCreate>[0]['operation']['inputFields']>;

/** What differs between the booking creates; running, errors and output are shared. */
export interface BookingCreateSpec {
  key: OperationKey;
  noun: string;
  /** The booking state the create leaves, for its sample. */
  sampleState: BookingEventKey;
  inputFields: InputFields;
  /** Runs the core operation with this call's input. */
  run: (ctx: ActionContext, inputData: Record<string, unknown>, z: ZObject, bundle: Bundle) => Promise<BookingWriteResult & { previousUid?: string }>;
}

/**
 * One create over a shared booking write. Every failure goes through withZapierErrors: an expired
 * token or a 429 stays RefreshAuthError/ThrottledError (Cal.com did not process the write, so Zapier's
 * replay is safe), and an unknown outcome is a plain error Zapier does not replay.
 */
export function defineBookingCreate(spec: BookingCreateSpec) {
  const perform = (async (z, bundle) =>
    withZapierErrors(
      z,
      'run',
      async () => toCreateResult(await spec.run(actionContextFor(z, bundle), bundle.inputData as Record<string, unknown>, z, bundle)),
      bundle,
    )) satisfies CreatePerform<Record<string, unknown>, ZapierBooking>;

  const create = defineCreate({
    key: spec.key,
    noun: spec.noun,
    display: zapierDisplay(spec.key),
    operation: {
      perform,
      inputFields: spec.inputFields,
      outputFields: BOOKING_RESULT_OUTPUT_FIELDS,
      sample: bookingResultSample(spec.sampleState),
    },
  });
  return { create, perform };
}
