import { crashSuite } from '../crash/durability.js';

// The long crash run (test/crash/durability.ts): 20 SIGKILLs (CRASH_KILLS overrides).
crashSuite(20);
