import { toIso } from '../../domain/time.js';
import type { SurveyRow } from './store.js';

export function serializeSurvey(s: SurveyRow) {
  return { id: s.id, name: s.name, type: s.type, question: s.question, created: toIso(s.created), updated: toIso(s.updated) };
}
