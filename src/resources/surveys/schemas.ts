import { pageLimit } from '../../wire/primitives.js';
import { z } from 'zod';

// The survey wire contract (surveys.md). Surveys are defined in the app (here: the seed) and read-only.

/** Gap S1 / G8: limit defaults to 30 (above 1000 served as 1000), page starts at 1 (doc) and defaults to 1. */
export const listSurveysBody = z.object({
  limit: pageLimit.optional(),
  page: z.number().int().min(1, 'pages start at 1').optional(),
});

export const survey = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  question: z.string(),
  created: z.string(),
  updated: z.string(),
});
