import { describe, expect, it } from 'vitest';
import { TEAM2, twoTeamSeed } from '../../db/fixtures.js';
import { expectApiError, mintToken, startApp } from '../../support/app.js';

const widget = (name: string, phone: string) => ({
  background_color: '#FFFFFF',
  button_color: '#1F7AE0',
  fab_background_color: '#1F7AE0',
  fab_text_color: '#FFFFFF',
  message: 'Hi! How can we help you?',
  name,
  phone,
  position: 0,
  preview_enabled: false,
  title_background_color: '#1F7AE0',
  title_text_color: '#FFFFFF',
  tos: '',
});

const common = { forward_number: null, allowed_domains: [], invited: [], bco_chats: false, op: 'create', rev: 1 };

describe('GET /v1/inboxes', () => {
  it('answers a bare array of the default team inboxes, numbers without +', async () => {
    const t = await startApp();
    const res = await t.http.get('/v1/inboxes').set('Authorization', await t.auth());
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual([
      {
        id: 10, name: 'Support', team: 1, members: [1, 2], phones: ['14155550100'], phone: '14155550100',
        auto_assignable: true, widget_code: 'hm-widget-10', widget_settings: widget('Support', '14155550100'), ...common,
      },
      {
        id: 11, name: 'Marketing (toll-free)', team: 1, members: [1, 2], phones: ['18885550100'], phone: '18885550100',
        auto_assignable: false, widget_code: 'hm-widget-11', widget_settings: widget('Marketing (toll-free)', '18885550100'), ...common,
      },
      {
        id: 12, name: 'Email', team: 1, members: [1, 3], phones: [], phone: '',
        auto_assignable: true, widget_code: 'hm-widget-12', widget_settings: widget('Email', ''), ...common,
      },
    ]);
    // Exactly the documented keys, in no wrapper object.
    expect(Object.keys(res.body[0]).sort()).toEqual(
      ['allowed_domains', 'auto_assignable', 'bco_chats', 'forward_number', 'id', 'invited', 'members', 'name', 'op', 'phone', 'phones', 'rev', 'team', 'widget_code', 'widget_settings'],
    );
  });

  it('lists only the caller team inboxes, members ascending, every number of the inbox', async () => {
    const t = await startApp({ seed: twoTeamSeed() });
    const token = await mintToken({ secretId: TEAM2.secretId, secretKey: TEAM2.secretKey, iat: Math.floor(t.wall.now() / 1000) });
    const res = await t.http.get('/v1/inboxes').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        id: 20, name: 'Team Two SMS', team: 2, members: [21, 22], phones: ['14155550200', '14155550209'], phone: '14155550200',
        auto_assignable: true, widget_code: 'hm-widget-20', widget_settings: widget('Team Two SMS', '14155550200'), ...common,
      },
    ]);
    const one = await t.http.get('/v1/inboxes').set('Authorization', await t.auth());
    expect(one.body.map((i: { id: number }) => i.id)).toEqual([10, 11, 12]);
  });

  it('needs credentials', async () => {
    const t = await startApp();
    expectApiError(await t.http.get('/v1/inboxes'), 401, 'unauthorized');
  });
});
