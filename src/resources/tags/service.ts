import type { AppContext } from '../../context.js';
import { notFound } from '../../core/errors.js';
import { inTransaction } from '../../db/open.js';
import { touchContacts } from '../contacts/store.js';
import * as store from './store.js';

/** Gap A1: deleting a tag detaches it from every contact, each of which gets a new rev. */
export function deleteTag(ctx: AppContext, teamId: number, tagId: number) {
  inTransaction(ctx.db, () => {
    const carriers = store.deleteTag(ctx.db, teamId, tagId);
    if (!carriers) throw notFound(`no tag with id ${tagId}`, 'id');
    touchContacts(ctx.db, teamId, carriers, ctx.clock.now(teamId));
  });
}
