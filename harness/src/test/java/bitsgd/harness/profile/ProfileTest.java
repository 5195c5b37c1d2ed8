package bitsgd.harness.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.VectorMlpKernels;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileTest {

    @Test
    void opCountsOfATinyShape() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable");
        int lanes = VectorMlpKernels.species().length();
        // n = 5, h = 20, B = 6: G = ⌈5/4⌉ = 2 input groups, Q = ⌈6/4⌉ = 2 sample groups
        Profile.VectorOps ops = new Profile.Shape(5, 3, 20, 6).vectorOps(lanes);
        assertEquals((20 + lanes - 1) / lanes, ops.blocks()); // 2 blocks at 16 lanes, 3 at 8, 5 at 4
        assertEquals(6 * 2 + 5 * 2, ops.lookups());           // B·G + n·Q = 22
        assertEquals(15 * 2 + 15 * 2, ops.tableStores());     // 15·G + 15·Q = 60
        assertEquals(4 * 2 + 5 + 4 * 2 + 6, ops.otherLoads()); // 4G + n + 4Q + B = 27
        assertEquals(5 + 6 + 6, ops.otherStores());           // n + B + B = 17
        assertEquals(49, ops.loads());
        assertEquals(77, ops.stores());
        // per block 49 loads · 0.5 ns + 77 stores · 2 ns = 178.5 ns
        assertEquals(ops.blocks() * 178.5, ops.boundNanos(0.5, 2.0), 1e-9);
        assertEquals(ops.blocks() * 178.5, new Profile.TableCosts(lanes, 0.5, 2.0, 0.25, 0.25).boundNanos(new Profile.Shape(5, 3, 20, 6)), 1e-9);
        // at the peak rates the 77 stores at 2 ns outweigh the 49 loads at 0.25 ns, overlapping
        Profile.TableCosts costs = new Profile.TableCosts(lanes, 0.5, 2.0, 0.25, 0.125);
        assertEquals(ops.blocks() * 77 * 2.0, costs.portBoundNanos(new Profile.Shape(5, 3, 20, 6)), 1e-9);
        assertEquals(0.5, costs.loadsPerCycle(), 1e-12);
        assertEquals(0.0625, costs.storesPerCycle(), 1e-12);
    }

    @Test
    void thePhasesSplitTheOpCountsExactly() {
        for (Profile.Shape s : new Profile.Shape[] {new Profile.Shape(5, 3, 20, 6), new Profile.Shape(50, 3, 1000, 32),
                new Profile.Shape(100, 2, 1000, 256), new Profile.Shape(1, 1, 1, 1)}) {
            Profile.VectorOps ops = s.vectorOps(16);
            long loads = 0, stores = 0;
            for (long[] p : Profile.VectorOps.phases(s)) {
                loads += p[0];
                stores += p[1];
            }
            assertEquals(ops.loads(), loads, s + " loads");
            assertEquals(ops.stores(), stores, s + " stores");
        }
        // (50,3,1000,32): G = 13, Q = 8; the forward tables, the lookups, the δ tables, the update
        long[][] p = Profile.VectorOps.phases(new Profile.Shape(50, 3, 1000, 32));
        assertEquals(List.of(52L, 195L), List.of(p[0][0], p[0][1]));
        assertEquals(List.of(32L * 13 + 32, 64L), List.of(p[1][0], p[1][1]));
        assertEquals(List.of(32L, 120L), List.of(p[2][0], p[2][1]));
        assertEquals(List.of(50L * 8 + 50, 50L), List.of(p[3][0], p[3][1]));
    }

    @Test
    void opCountsAtSixteenLanes() {
        // the benchmark shape (50,3,1000,32) with 512-bit vectors: 63 blocks (the last one zero-padded)
        Profile.VectorOps ops = new Profile.Shape(50, 3, 1000, 32).vectorOps(16);
        assertEquals(63, ops.blocks());
        assertEquals(32 * 13 + 50 * 8, ops.lookups());
        assertEquals(15 * 13 + 15 * 8, ops.tableStores());
        assertEquals(4 * 13 + 50 + 4 * 8 + 32, ops.otherLoads());
        assertEquals(50 + 64, ops.otherStores());
        assertEquals(63 * (982 * 1.0 + 429 * 1.0), ops.boundNanos(1.0, 1.0), 1e-9);
        // 982 loads at 0.15 ns (147.3 ns) outweigh 429 stores at 0.3 ns (128.7 ns) per block
        assertEquals(63 * 982 * 0.15, ops.portBoundNanos(0.15, 0.3), 1e-9);
    }
}
