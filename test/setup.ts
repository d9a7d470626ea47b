// Every property test in the suite runs from one replayable seed.
// Override with CANOPY_SEED=<n> to explore; a failure prints the seed and the shrunk path.
import fc from 'fast-check';

const seed = Number(process.env.CANOPY_SEED ?? 20261127);
fc.configureGlobal({ seed, numRuns: Number(process.env.CANOPY_NUM_RUNS ?? 100), endOnFailure: false });
