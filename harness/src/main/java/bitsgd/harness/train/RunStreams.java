package bitsgd.harness.train;

import java.util.SplittableRandom;

/**
 * Independent random streams split from one 64-bit run seed (docs/architecture.md, randomness).
 *
 * <p>{@code SplittableRandom(seed)} is split once per stream, in a fixed order, and each split's
 * first long seeds an {@code L64X128MixRandom} ({@link MixRandom}, whose state a checkpoint saves). A stream's
 * values therefore depend only on the seed and its position in {@link Stream}: drawing more from the eval stream
 * (a bigger eval set) never moves the init, task or data streams. Add new streams at the end of the enum only.
 */
public final class RunStreams {
    /** Stream positions; the order is part of the reproducibility contract. */
    public enum Stream { INIT, TASK, DATA, EVAL, NOISE }

    private final long[] seeds = new long[Stream.values().length];

    public RunStreams(long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        for (int s = 0; s < seeds.length; s++) seeds[s] = root.split().nextLong();
    }

    /** A fresh generator for the stream, always starting at the same state for the same run seed. */
    public MixRandom get(Stream s) {
        return new MixRandom(seeds[s.ordinal()]);
    }
}
