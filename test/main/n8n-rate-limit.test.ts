import { NodeOperationError, type INode } from 'n8n-workflow';

import { CalcomError } from '@calcom-oauth/shared';

import { toNodeError } from '../../n8n-node/nodes/CalCom/errors';
import { rateLimitWait } from './n8n-session';

const NODE: INode = { id: 'n', name: 'Cal.com Trigger', type: 'calComTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

describe("the demo's n8n 429 wait", () => {
  it("is the core's retryAfterSeconds carried by the node's NodeApiError, not a number read from its text", () => {
    const limited = new CalcomError('rate_limited', "Cal.com's rate limit was reached; retry in 5 seconds.", { status: 429, retryAfterSeconds: 42 });
    expect(rateLimitWait(toNodeError(NODE, limited))).toBe(42);
  });

  it('is undefined for any other failure', () => {
    expect(rateLimitWait(toNodeError(NODE, new CalcomError('server_unavailable', 'Cal.com could not answer; try again in 30 seconds.', { status: 503 })))).toBeUndefined();
    expect(rateLimitWait(new NodeOperationError(NODE, 'retry in 5 seconds'))).toBeUndefined();
  });
});
