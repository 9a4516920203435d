import { fuzzSuite } from './suite.js';

// See suite.ts: generated requests to every route of this group.
await fuzzSuite('content');
