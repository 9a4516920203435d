import { describe, expect, it } from 'vitest';
import { nextDeliveryStep, statusMoveProblem } from './delivery.js';

describe('nextDeliveryStep', () => {
  it('auto delivers ordinary recipients; manual leaves them', () => {
    expect(nextDeliveryStep(['14155551234'], 'auto')).toEqual({ status: 'delivered' });
    expect(nextDeliveryStep(['14155551234'], 'manual')).toBeUndefined();
  });

  it('a failing magic recipient fails the message in both modes, before any reply', () => {
    expect(nextDeliveryStep(['15005550004', '15005550002'], 'manual')).toEqual({ status: 'failed', errorCode: '30003', errorMessage: expect.any(String) });
    expect(nextDeliveryStep(['15005550005'], 'manual')).toEqual({ status: 'delivered', reply: 'echo' });
  });
});

describe('statusMoveProblem', () => {
  const out = (status: string) => ({ id: 1, type: 'outbound' as const, status });
  it('allows sent → delivered/failed and a repeat of a final state', () => {
    expect(statusMoveProblem(out('sent'), { status: 'delivered' })).toBeUndefined();
    expect(statusMoveProblem(out('sent'), { status: 'failed', errorField: 'error_code' })).toBeUndefined();
    expect(statusMoveProblem(out('failed'), { status: 'failed', errorField: 'error_code' })).toBeUndefined();
  });
  it('refuses leaving a final state, inbound messages, notes, and an error on a non-failure', () => {
    expect(statusMoveProblem(out('delivered'), { status: 'failed' })?.message).toMatch(/final state/);
    expect(statusMoveProblem({ id: 1, type: 'inbound', status: 'received' }, { status: 'delivered' })?.message).toMatch(/inbound/);
    expect(statusMoveProblem({ id: 1, type: 'note', status: 'sent' }, { status: 'delivered' })?.message).toMatch(/note/);
    expect(statusMoveProblem(out('sent'), { status: 'delivered', errorField: 'error_code' })?.field).toBe('error_code');
  });
});
