import { badDataAt } from '../../core/errors.js';
import type { FamilyProblem } from '../../domain/targets.js';

// Named errors of POST /v1/message/send (and of the schedules that store one for later): content,
// target families and the references a send uses. One wording per rule; the caller names the field.

/** Rules 5-7 (domain/targets.ts decides which): the target family is missing, doubled or malformed. */
export const badTarget = (p: FamilyProblem) => badDataAt(p.field, p.message);

export const twoContentSources = (field: string, sources: readonly string[]) =>
  badDataAt(field, `give one of text, template_id or survey_id, not ${sources.join(' and ')}`);

export const noContent = (field: string) => badDataAt(field, 'a message needs content: text, template_id, media_url or survey_id');

export const emptyNote = (field: string) => badDataAt(field, 'a private note needs text');

export const noConversationForNote = (field: string, phone: string, inboxId: number) =>
  badDataAt(field, `no conversation with ${phone} in inbox ${inboxId}; private notes go into an existing conversation`);

export const noSuchTemplate = (field: string, id: number) => badDataAt(field, `no template with id ${id} in this team`);

export const emptyTemplate = (field: string, id: number) => badDataAt(field, `template ${id} has no text and no image to send`);

export const noSuchSurvey = (field: string, id: number) => badDataAt(field, `no survey with id ${id} in this team`);

export const noSuchList = (field: string, id: number) => badDataAt(field, `no list with id ${id} in this team`);

/** A broadcast skips unreachable members; it fails only when none is left. */
export const noReachableMember = (field: string, listId: number) =>
  badDataAt(field, `list ${listId} has no member that can receive SMS (none with a phone, or all opted out or blocked)`);

/** Rule 2: the sending member is required, by id or (as real clients send it) by email. */
export const noCreator = () =>
  badDataAt('creator_id', 'is required: the sending member id (GET /v1/team), or creator_email with that member\'s email').coded('required_field');
