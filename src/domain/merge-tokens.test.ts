import { describe, expect, it } from 'vitest';
import { renderMergeTokens, unknownTokens } from './merge-tokens.js';

describe('merge tokens', () => {
  const values = { first: 'Ada', last: 'Lovelace', custom: { Plan: 'Gold', 'Renewal Date': '2026-06-01' } };

  it('renders names and custom fields by title', () => {
    expect(renderMergeTokens('Hi {{first_name}} {{ last_name }}, plan {{plan}} renews {{renewal_date}}', values)).toBe(
      'Hi Ada Lovelace, plan Gold renews 2026-06-01',
    );
  });

  it('renders unknown tokens and missing values as empty strings', () => {
    expect(renderMergeTokens('Hi {{first_name}}{{nickname}}!', { first: '', last: '', custom: {} })).toBe('Hi !');
  });

  it('leaves text without tokens alone, single braces included', () => {
    expect(renderMergeTokens('Price {5} {{', values)).toBe('Price {5} {{');
  });

  it('lists unknown tokens', () => {
    expect(unknownTokens('{{first_name}} {{Plan}} {{nick}}', ['Plan'])).toEqual(['nick']);
  });
});
