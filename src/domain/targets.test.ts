import { describe, expect, it } from 'vitest';
import { resolveFamily } from './targets.js';

describe('target families', () => {
  it('resolves each family', () => {
    expect(resolveFamily({ phone_number: '14155551234' })).toEqual({ kind: 'phone', phone: '14155551234' });
    expect(resolveFamily({ chat_id: 5 })).toEqual({ kind: 'chat', chatId: 5 });
    expect(resolveFamily({ list_id: 3, local_id: 'b1' })).toEqual({ kind: 'list', listId: 3, localId: 'b1' });
    expect(resolveFamily({ targets: ['14155550002', '14155550001', '14155550001'] })).toEqual({ kind: 'group', targets: ['14155550001', '14155550002'] });
  });

  it('rejects phone_number with chat_id, no family, two families, list without local_id', () => {
    expect(resolveFamily({ phone_number: '1', chat_id: 2 })).toMatchObject({ field: 'chat_id' });
    expect(resolveFamily({})).toMatchObject({ field: 'phone_number' });
    expect(resolveFamily({ phone_number: '1', list_id: 2, local_id: 'x' })).toMatchObject({ field: 'list_id' });
    expect(resolveFamily({ targets: ['1', '2'], chat_id: 2 })).toMatchObject({ field: 'targets' });
    expect(resolveFamily({ list_id: 2 })).toMatchObject({ field: 'local_id' });
  });

  it('bounds group size and keeps private notes to one conversation', () => {
    expect(resolveFamily({ targets: ['14155550001'] })).toMatchObject({ field: 'targets' });
    expect(resolveFamily({ targets: Array.from({ length: 11 }, (_, i) => `141555500${10 + i}`) })).toMatchObject({ field: 'targets' });
    expect(resolveFamily({ private: true, list_id: 1, local_id: 'x' })).toMatchObject({ field: 'private' });
  });
});
