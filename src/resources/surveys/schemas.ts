import { z } from 'zod';

// The survey wire contract (surveys.md). Surveys are defined in the app (here: the seed) and read-only.

/** Gap S1 / G8: limit defaults to 30 (at most 100), page starts at 1 (doc) and defaults to 1. */
export const listSurveysBody = z.object({
  limit: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').optional(),
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
