package dev.trainlayer.activities.tuning;

/**
 * Derives independent seeds from (seed, index). {@code new Random(s)} and {@code new Random(s + 1)} start
 * with nearly equal draws, so consecutive indices must be scrambled first (SplitMix64's finalizer).
 */
final class Seeds {
    private Seeds() {}

    static long derive(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
