package bitsgd.harness.train;

import java.util.random.RandomGenerator;

/**
 * The JDK's {@code L64X128MixRandom} (a 64-bit LCG plus xoroshiro128, mixed by Lea's function), written out so its
 * state can be saved and restored: a checkpoint must continue every stream exactly where it stopped, and the JDK's
 * generator does not show its state. Same seeding, same outputs for every {@link RandomGenerator} method (the
 * interface's defaults build them all from {@link #nextLong}); RunStreamsTest compares them with the JDK's.
 */
public final class MixRandom implements RandomGenerator {
    private static final long M = 0xd1342543de82ef95L;
    private static final long GOLDEN_RATIO_64 = 0x9e3779b97f4a7c15L;
    private static final long SILVER_RATIO_64 = 0x6A09E667F3BCC909L;

    private long a, s, x0, x1;

    /** The generator {@code RandomGeneratorFactory.of("L64X128MixRandom").create(seed)} gives. */
    public MixRandom(long seed) {
        seed ^= SILVER_RATIO_64;
        this.a = mixMurmur64(seed) | 1;
        this.s = 1;
        this.x0 = mixStafford13(seed);
        this.x1 = mixStafford13(seed + GOLDEN_RATIO_64);
    }

    private MixRandom(long[] state) {
        restore(state);
    }

    /** A generator at a state from {@link #state()}. */
    public static MixRandom at(long[] state) {
        return new MixRandom(state);
    }

    /** The whole state: {a, s, x0, x1}. */
    public long[] state() {
        return new long[] {a, s, x0, x1};
    }

    /** Continues from a state from {@link #state()}. */
    public void restore(long[] state) {
        if (state.length != 4) throw new IllegalArgumentException("a MixRandom state has 4 longs, got " + state.length);
        if ((state[0] & 1) == 0 || (state[2] | state[3]) == 0) throw new IllegalArgumentException("not a MixRandom state");
        a = state[0];
        s = state[1];
        x0 = state[2];
        x1 = state[3];
    }

    @Override
    public long nextLong() {
        long result = mixLea64(s + x0);
        s = M * s + a;
        long q0 = x0, q1 = x1;
        q1 ^= q0;
        q0 = Long.rotateLeft(q0, 24);
        q0 = q0 ^ q1 ^ (q1 << 16);
        q1 = Long.rotateLeft(q1, 37);
        x0 = q0;
        x1 = q1;
        return result;
    }

    private static long mixMurmur64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static long mixStafford13(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long mixLea64(long z) {
        z = (z ^ (z >>> 32)) * 0xdaba0b6eb09322e3L;
        z = (z ^ (z >>> 32)) * 0xdaba0b6eb09322e3L;
        return z ^ (z >>> 32);
    }
}
