import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['0s', 0],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text)).toEqual({ ms }));

  it.each(['', '15', 'm15', '1.5h', '15 m', '-5m', '2w', '1h junk'])('refuses %j with a hint', (text) => {
    const r = parseDuration(text);
    expect('problem' in r && r.problem).toMatch(/not a duration.*"90s"/);
  });
});
