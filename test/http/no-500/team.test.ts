import { no500Suite, coverageSuite } from './fuzz.js';

// See fuzz.ts: every junk request to each endpoint of this group.
no500Suite('team');
coverageSuite();
