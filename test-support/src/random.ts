/** Deterministic randomness for tests (the simulator's mulberry32), so a failing case reproduces from its seed. */
export { mulberry32 as seededRandom } from '@simhound/simulator';
