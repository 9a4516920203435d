import { fuzzSuite } from '../fuzz/suite.js';

// The long fuzz run (test/fuzz/suite.ts): 100 000 generated requests over all routes (FUZZ_RUNS overrides).
await fuzzSuite('content', Number(process.env.FUZZ_RUNS ?? 100_000));
