import { describe, expect, it } from 'vitest';
import { extractCodes, extractLinks } from './extract.js';
import { optKeyword } from './keywords.js';
import { magicRecipient, magicReply } from './magic.js';
import { smsEncoding } from './segments.js';

describe('smsEncoding', () => {
  it('GSM-7: 160 in one segment, 153 per segment when split', () => {
    expect(smsEncoding('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(smsEncoding('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(smsEncoding('a'.repeat(306))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(smsEncoding('a'.repeat(307))).toEqual({ encoding: 'GSM-7', segments: 3 });
    expect(smsEncoding('')).toEqual({ encoding: 'GSM-7', segments: 1 });
  });

  it('extension-table characters count twice', () => {
    expect(smsEncoding('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(smsEncoding('€'.repeat(81))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(smsEncoding('a'.repeat(159) + '[')).toEqual({ encoding: 'GSM-7', segments: 2 });
  });

  it('any other character makes it UCS-2: 70 in one segment, 67 per segment; an emoji takes two units', () => {
    expect(smsEncoding('ç' + 'a'.repeat(69))).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(smsEncoding('ç' + 'a'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 2 });
    expect(smsEncoding('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', segments: 1 });
    expect(smsEncoding('😀'.repeat(36))).toEqual({ encoding: 'UCS-2', segments: 2 });
    expect(smsEncoding('a'.repeat(134) + 'Ж')).toEqual({ encoding: 'UCS-2', segments: 3 });
  });
});

describe('extractCodes / extractLinks', () => {
  it('finds standalone 4-8 digit runs in order, not longer runs, not inside links', () => {
    expect(extractCodes('Your code is 482913. Backup: 1234, order 123456789, pin 123')).toEqual(['482913', '1234']);
    expect(extractCodes('Visit https://x.test/r/55667788 then enter 9911')).toEqual(['9911']);
    expect(extractCodes('A1234B 20260101')).toEqual(['1234', '20260101']);
  });

  it('finds http(s) links in order without trailing punctuation', () => {
    expect(extractLinks('See https://a.test/x?y=1, and (http://b.test/path). Done!')).toEqual(['https://a.test/x?y=1', 'http://b.test/path']);
    expect(extractLinks('ftp://no.test and https://')).toEqual([]);
  });
});

describe('optKeyword', () => {
  it.each(['STOP', ' stop ', 'StopAll', 'unsubscribe', 'CANCEL', 'end', 'Quit'])('%j opts out', (t) => expect(optKeyword(t)).toBe('opt_out'));
  it.each(['START', 'yes', 'Unstop'])('%j opts in', (t) => expect(optKeyword(t)).toBe('opt_in'));
  it.each(['stop please', 'STOP!', 'hello', ''])('%j is no keyword', (t) => expect(optKeyword(t)).toBeNull());
});

describe('magicRecipient', () => {
  it('knows the reserved numbers and addresses, any case of the address', () => {
    expect(magicRecipient('15005550001')).toMatchObject({ kind: 'refuse' });
    expect(magicRecipient('15005550002')).toEqual({ kind: 'fail', errorCode: '30003', errorMessage: expect.any(String) });
    expect(magicRecipient('15005550003')).toMatchObject({ kind: 'fail', errorCode: '30007' });
    expect(magicRecipient('15005550004')).toEqual({ kind: 'reply', reply: 'stop' });
    expect(magicRecipient('15005550005')).toEqual({ kind: 'reply', reply: 'echo' });
    expect(magicRecipient('Bounce@Heymarket-Mock.test')).toMatchObject({ kind: 'fail', errorCode: '550' });
    expect(magicRecipient('invalid@heymarket-mock.test')).toMatchObject({ kind: 'refuse' });
    expect(magicRecipient('echo@heymarket-mock.test')).toEqual({ kind: 'reply', reply: 'echo' });
  });

  it('every other recipient is ordinary', () => {
    expect(magicRecipient('15005550006')).toBeNull();
    expect(magicRecipient('14155551234')).toBeNull();
    expect(magicRecipient('someone@heymarket-mock.test')).toBeNull();
    expect(magicRecipient('bounce@example.com')).toBeNull();
  });

  it('replies STOP or Re: <text>', () => {
    expect(magicReply('stop', 'Hi')).toBe('STOP');
    expect(magicReply('echo', 'Hi there')).toBe('Re: Hi there');
  });
});
