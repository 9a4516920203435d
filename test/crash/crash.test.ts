import { crashSuite } from './durability.js';

// See durability.ts: a few kills in `npm test`; `npm run test:stress` runs 20.
crashSuite(3);
