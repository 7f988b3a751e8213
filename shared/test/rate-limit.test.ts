import { readRateLimitHeaders } from '../src/rate-limit';

describe('readRateLimitHeaders', () => {
  it('reads the -Default headers whatever their case', () => {
    const headers = { 'X-RateLimit-Limit-Default': '500', 'x-ratelimit-remaining-default': '498', 'X-RATELIMIT-RESET-DEFAULT': '60' };
    expect(readRateLimitHeaders({ headers })).toEqual({ limit: '500', remaining: '498', reset: '60' });
  });

  it('keeps only the headers that were sent', () => {
    expect(readRateLimitHeaders({ headers: { 'x-ratelimit-reset-default': '12' } })).toEqual({ reset: '12' });
  });

  it('is undefined when Cal.com sent none, as on its web routes', () => {
    expect(readRateLimitHeaders({ headers: { 'content-type': 'application/json', 'retry-after': '5' } })).toBeUndefined();
  });
});
