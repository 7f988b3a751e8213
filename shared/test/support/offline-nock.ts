import nock from 'nock';

/**
 * Registers the nock lifecycle of one test file: no real network while it runs, no interceptor left
 * behind when it ends.
 *
 * Jest runs many files in one worker, and Node's `http` module is shared by all of them while every
 * file loads its own nock. A nock that is not restored keeps its interceptor wrapped around
 * `http.request`; two such leftovers stacked on each other break plain `http.request(url, callback)`
 * calls in later files (the emulator's socket tests failed that way under Node 24).
 */
export function useOfflineNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}
