import { DEFAULT_REDIRECT_PORT, UsageError, parseCliOptions } from './args';

describe('parseCliOptions', () => {
  it('runs the live demo without arguments and the one-cycle demo with --once', () => {
    expect(parseCliOptions([], {})).toEqual({ mode: 'demo', once: false, pollSeconds: 3 });
    expect(parseCliOptions(['--once'], {})).toMatchObject({ mode: 'demo', once: true });
    expect(parseCliOptions(['--poll-seconds', '10'], {})).toMatchObject({ mode: 'demo', pollSeconds: 10 });
  });

  it('reads a real instance from flags, with defaults for the rest', () => {
    const options = parseCliOptions(['--instance', 'cal.eu', '--client-id', 'abc', '--client-secret=s3cret'], {});
    expect(options).toEqual({
      mode: 'real',
      instance: 'cal.eu',
      clientId: 'abc',
      clientSecret: 's3cret',
      redirectPort: DEFAULT_REDIRECT_PORT,
      surface: 'auto',
      openBrowser: true,
      timeoutSeconds: 300,
    });
  });

  it('falls back to the environment, flags winning over it', () => {
    const env = { CALCOM_INSTANCE: 'https://cal.example.com', CALCOM_CLIENT_ID: 'from-env', CALCOM_CLIENT_SECRET: 'env-secret', CALCOM_SCOPES: 'BOOKING_READ' };
    expect(parseCliOptions(['--client-id', 'from-flag', '--surface', 'LEGACY', '--no-browser'], env)).toMatchObject({
      mode: 'real',
      instance: 'https://cal.example.com',
      clientId: 'from-flag',
      clientSecret: 'env-secret',
      scopes: 'BOOKING_READ',
      surface: 'legacy',
      openBrowser: false,
    });
  });

  it.each([
    [['--instance', 'cal.com'], /--client-id <id>.*CALCOM_CLIENT_ID/],
    [['--instance', 'cal.com', '--client-id', 'x', '--surface', 'v3'], /--surface must be auto, v2 or legacy/],
    [['--instance', 'cal.com', '--client-id', 'x', '--redirect-port', '70000'], /--redirect-port must be between 1 and 65535/],
    [['--instance', 'cal.com', '--client-id', 'x', '--redirect-port', 'abc'], /whole number/],
    [['--instance'], /--instance needs a value/],
    [['--client-id', 'x'], /only applies to a real Cal.com; add --instance/],
    [['--instance', 'cal.com', '--client-id', 'x', '--once'], /--once runs the embedded demo/],
    [['--frobnicate'], /Unknown option --frobnicate/],
    [['cal.com'], /Unexpected argument "cal.com"/],
    [['--once=yes'], /--once takes no value/],
  ])('refuses %j with one sentence saying what to change', (argv, message) => {
    let caught: unknown;
    try {
      parseCliOptions(argv, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message.trim().endsWith('.')).toBe(true);
  });

  it('says when the environment, not the command, asked for a real Cal.com', () => {
    expect(() => parseCliOptions([], { CALCOM_INSTANCE: 'cloud' })).toThrow(/CALCOM_INSTANCE=cloud in the environment asked for a real Cal\.com; unset it to run the demo/);
  });

  it('does not treat the next flag as a missing value', () => {
    expect(() => parseCliOptions(['--instance', 'cal.com', '--client-id', '--no-browser'], {})).toThrow(/--client-id needs a value/);
  });

  it('returns help mode for --help', () => {
    expect(parseCliOptions(['--help'], {})).toEqual({ mode: 'help' });
  });
});
