package bitsgd.harness.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class MixRandomTest {
    private static final RandomGeneratorFactory<RandomGenerator> JDK = RandomGeneratorFactory.of("L64X128MixRandom");

    @Test
    void drawsWhatTheJdksGeneratorDraws() {
        for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE, 0x9e3779b97f4a7c15L, 123456789L}) {
            RandomGenerator jdk = JDK.create(seed);
            MixRandom mine = new MixRandom(seed);
            // every draw the trainers, tasks, inits and input distributions use, interleaved
            for (int i = 0; i < 20_000; i++) {
                String at = "seed " + seed + " draw " + i;
                switch (i % 9) {
                    case 0 -> assertEquals(jdk.nextLong(), mine.nextLong(), at);
                    case 1 -> assertEquals(jdk.nextInt(), mine.nextInt(), at);
                    case 2 -> assertEquals(jdk.nextInt(1 + i % 1000), mine.nextInt(1 + i % 1000), at);
                    case 3 -> assertEquals(jdk.nextDouble(), mine.nextDouble(), at);
                    case 4 -> assertEquals(jdk.nextGaussian(), mine.nextGaussian(), at);
                    case 5 -> assertEquals(jdk.nextFloat(), mine.nextFloat(), at);
                    case 6 -> assertEquals(jdk.nextBoolean(), mine.nextBoolean(), at);
                    case 7 -> assertEquals(jdk.nextLong(3 + i), mine.nextLong(3 + i), at);
                    default -> assertEquals(jdk.nextDouble(-2, 5), mine.nextDouble(-2, 5), at);
                }
            }
        }
    }

    @Test
    void continuesFromASavedState() {
        MixRandom a = new MixRandom(7);
        for (int i = 0; i < 1000; i++) a.nextGaussian();
        long[] saved = a.state();
        MixRandom b = MixRandom.at(saved);
        for (int i = 0; i < 1000; i++) assertEquals(a.nextLong(), b.nextLong());
        assertThrows(IllegalArgumentException.class, () -> MixRandom.at(new long[] {2, 0, 1, 1}));   // a must be odd
        assertThrows(IllegalArgumentException.class, () -> MixRandom.at(new long[] {1, 0, 0, 0}));   // xoroshiro state all zero
        assertThrows(IllegalArgumentException.class, () -> MixRandom.at(new long[] {1, 0, 1}));
    }
}
