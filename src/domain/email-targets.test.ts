import { describe, expect, it } from 'vitest';
import { parseEmailTargets } from './email-targets.js';

describe('email targets', () => {
  it('splits to: and cc: elements with comma-separated addresses', () => {
    expect(parseEmailTargets(['to:alice@example.com, bob@example.com', 'cc:carol@example.com'])).toEqual({
      to: ['alice@example.com', 'bob@example.com'],
      cc: ['carol@example.com'],
      origin: { 'alice@example.com': 0, 'bob@example.com': 0, 'carol@example.com': 1 },
    });
  });

  it('rejects a missing prefix, a bad address, no to:, repeats and more than 10 recipients', () => {
    expect(parseEmailTargets(['alice@example.com'])).toMatchObject({ index: 0 });
    expect(parseEmailTargets(['to:alice@example.com', 'cc:nope'])).toMatchObject({ index: 1 });
    expect(parseEmailTargets(['cc:alice@example.com'])).toMatchObject({ message: expect.stringMatching(/to:/) });
    expect(parseEmailTargets(['to:a@example.com', 'cc:A@example.com'])).toMatchObject({ message: expect.stringMatching(/once/) });
    const eleven = Array.from({ length: 11 }, (_, i) => `u${i}@example.com`).join(',');
    expect(parseEmailTargets([`to:${eleven}`])).toMatchObject({ message: expect.stringMatching(/at most 10/) });
  });
});
