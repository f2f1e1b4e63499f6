/// <reference types="jest" />
import { ApiError, describeError, waitText } from './api';

describe(describeError.name, () => {
  it('adds the wait to RATE_LIMITED, from Retry-After', () => {
    const err = new ApiError(429, 'RATE_LIMITED', 'Too many failed login attempts, try again later', 900);

    expect(describeError(err)).toBe(
      'Too many failed login attempts, try again later. You can try again in 15 minutes.',
    );
  });

  it("shows the contract's message as it is for other codes", () => {
    expect(describeError(new ApiError(409, 'USERNAME_TAKEN', 'That username is taken'))).toBe('That username is taken');
  });

  it('has a readable fallback for anything else', () => {
    expect(describeError(undefined)).toBe('Something went wrong. Please try again.');
  });
});

describe(waitText.name, () => {
  it.each([
    [1, '1 second'],
    [45, '45 seconds'],
    [60, '1 minute'],
    [61, '2 minutes'],
    [3600, '1 hour'],
    [7201, '3 hours'],
  ])('%d s reads as "%s"', (seconds, text) => {
    expect(waitText(seconds)).toBe(text);
  });
});
