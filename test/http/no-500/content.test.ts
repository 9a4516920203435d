import { no500Suite } from './fuzz.js';

// See fuzz.ts: every junk request to each endpoint of this group.
no500Suite('content');
