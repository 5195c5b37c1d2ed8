package bitsgd.kernel.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.kernel.Kernels;
import bitsgd.kernel.bits.BitBatch;
import java.lang.ref.Reference;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A step split over threads against the same step on one: the same bits, not a tolerance, for every parameter,
 * loss and output, over awkward widths (around the block and pair edges, with and without a tail block), both
 * activations, every loss and batches that are not multiples of 4; then again once C2 has compiled everything.
 */
class ThreadsAgreementTest {
    static VectorMlpKernels vector;

    @BeforeAll
    static void setUp() {
        assumeTrue(Kernels.vectorAvailable(), "vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        vector = Kernels.vectorMlp();
    }

    /** {@code steps} steps on 1 and on {@code threads} threads from one start; asserts bit equality throughout. */
    static void same(int n, int h, int batch, int threads, long seed, Activation act, Loss loss, int steps) {
        SplittableRandom rng = new SplittableRandom(seed);
        Mlp2 one = new Mlp2(n, h, act).initUniform(rng), many = one.copy();
        // one column block per part at least, so narrow nets split too (the provider's workspaces need 16)
        MlpKernels.Workspace w1 = vector.workspace(n, h, batch), wt = new VectorMlpKernels.Scratch(n, h, batch, threads, 1);
        assertEquals(Team.parts(h, VectorMlpKernels.lanes(), threads, 1), wt.threads());
        BitBatch x = new BitBatch(n, batch);
        float[] y = new float[batch], f1 = new float[batch], ft = new float[batch];
        float lr1 = act.isRelu() ? 0.1f : 0.01f, lr2 = lr1 / 2;
        String what = "n=" + n + " h=" + h + " B=" + batch + " T=" + threads + " " + act + " " + loss;
        for (int s = 0; s < steps; s++) {
            x.fillUniform(rng);
            x.setSize(s % 3 == 2 && batch > 1 ? batch - 1 : batch); // partial sample groups too
            for (int b = 0; b < batch; b++) y[b] = rng.nextBoolean() ? 1f : -1f;
            float l1 = vector.step(one, x, y, loss, lr1, lr2, 0.01f, w1);
            float lt = vector.step(many, x, y, loss, lr1, lr2, 0.01f, wt);
            assertEquals(Float.floatToIntBits(l1), Float.floatToIntBits(lt), what + " loss at step " + s);
            if (!one.bitEquals(many)) throw new AssertionError(what + ": parameters differ after step " + s + ", max |diff| " + one.maxAbsDiff(many));
            vector.forward(one, x, f1, w1);
            vector.forward(many, x, ft, wt);
            for (int b = 0; b < x.size(); b++) assertEquals(Float.floatToIntBits(f1[b]), Float.floatToIntBits(ft[b]), what + " f[" + b + "] at step " + s);
            x.setSize(batch);
        }
    }

    static void sweep(int steps) {
        int lanes = VectorMlpKernels.lanes();
        int[] hs = {2 * lanes, 2 * lanes + 3, 3 * lanes, 4 * lanes, 4 * lanes + 1, 5 * lanes + 7, 7 * lanes, 100, 1000};
        int[][] nbs = {{1, 1}, {5, 3}, {20, 32}, {65, 33}, {130, 9}};
        long seed = 11;
        for (int h : hs) {
            for (int[] nb : nbs) {
                for (int threads = 2; threads <= 3; threads++) {
                    Loss loss = Loss.values()[(int) (seed % Loss.values().length)];
                    same(nb[0], h, nb[1], threads, seed, Activation.RELU, loss, steps);
                    if (seed % 3 == 0) same(nb[0], h, nb[1], threads, seed, Activation.pow(3), loss, steps);
                    seed++;
                }
            }
        }
    }

    @Test
    void threadsGiveTheOneThreadBitsOverAwkwardShapes() {
        sweep(3);
    }

    @Test
    void stillTheSameBitsOnceCompiled() {
        // thousands of calls: C2 compiles the split and the one-thread passes alike (the INVOC_COUNT lesson)
        for (int r = 0; r < 200; r++) {
            same(9, 4 * VectorMlpKernels.lanes() + 3, 7, 2, r, Activation.RELU, Loss.HINGE, 10);
            if (r % 4 == 0) same(6, 5 * VectorMlpKernels.lanes() + 1, 5, 2, r, Activation.pow(2), Loss.SQUARE, 10);
        }
        sweep(3);
        same(50, 1000, 32, 2, 7, Activation.RELU, Loss.HINGE, 300);
        same(20, 1000, 256, 3, 8, Activation.RELU, Loss.LOGISTIC, 30);
    }

    @Test
    void narrowNetsRunOnOneThread() {
        int lanes = VectorMlpKernels.lanes();
        int min = Team.MIN_BLOCKS_PER_PART;
        assertEquals(1, vector.workspace(10, lanes, 8, 4).threads());
        assertEquals(1, vector.workspace(10, (2 * min - 1) * lanes, 8, 4).threads());
        assertEquals(2, vector.workspace(10, 2 * min * lanes, 8, 4).threads());
        assertEquals(4, vector.workspace(10, 1000 * lanes, 8, 4).threads());
        assertThrows(IllegalArgumentException.class, () -> vector.workspace(10, 100, 8, 0));
    }

    @Test
    void aTeamRunsEveryPartAndRethrowsAFailure() throws Exception {
        Object owner = new Object();
        Team team = new Team(3, owner);
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        for (int r = 0; r < 1000; r++) team.run(runs::incrementAndGet);
        for (int p = 0; p < 3; p++) assertEquals(1000, runs.get(p), "part " + p);
        // idle long enough that the workers park, then wake them again
        Thread.sleep(5 * Team.SPIN_NANOS / 1_000_000 + 5);
        team.run(runs::incrementAndGet);
        for (int p = 0; p < 3; p++) assertEquals(1001, runs.get(p), "part " + p + " after parking");
        IllegalStateException boom = new IllegalStateException("part 2 fails");
        IllegalStateException seen = assertThrows(IllegalStateException.class, () -> team.run(p -> {
            if (p == 2) throw boom;
        }));
        assertSame(boom, seen);
        team.run(runs::incrementAndGet); // still usable after a failure
        assertEquals(2, team.workersAlive());
        team.close();
        assertThrows(IllegalStateException.class, () -> team.run(p -> {}));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && team.workersAlive() > 0) Thread.sleep(10);
        assertEquals(0, team.workersAlive(), "workers end on close");
        Reference.reachabilityFence(owner);   // the team closes itself once its owner is unreachable
    }

    @Test
    void inOrderTasksRunInPartOrderAfterTheirPart() {
        Team team = new Team(3, this);
        for (int r = 0; r < 2000; r++) {
            int[] order = new int[3];
            AtomicInteger seq = new AtomicInteger();
            boolean[] taskDone = new boolean[3];
            team.run(p -> {
                // later parts finish their tasks first, so an unordered tail would show
                if (p == 0) Thread.onSpinWait();
                taskDone[p] = true;
            }, p -> {
                assertTrue(taskDone[p], "part " + p + "'s own task ran before its in-order task");
                order[seq.getAndIncrement()] = p;
            });
            assertArrayEquals(new int[] {0, 1, 2}, order, "round " + r);
        }
        // a failing task: its in-order task is skipped, the later parts still end, the failure is rethrown
        IllegalStateException boom = new IllegalStateException("part 1 fails");
        AtomicInteger tails = new AtomicInteger();
        assertSame(boom, assertThrows(IllegalStateException.class, () -> team.run(p -> {
            if (p == 1) throw boom;
        }, p -> tails.incrementAndGet())));
        assertTrue(tails.get() <= 1, "no in-order task runs after the failed part's");
        team.close();
    }

    @Test
    void workersEndOnceTheirWorkspaceIsUnreachable() throws Exception {
        MlpKernels.Workspace ws = vector.workspace(10, 2 * Team.MIN_BLOCKS_PER_PART * VectorMlpKernels.lanes(), 8, 2);
        Team team = ((VectorMlpKernels.Scratch) ws).team;   // the team holds no reference to its workspace
        assertEquals(1, team.workersAlive());
        ws = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && team.workersAlive() > 0) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(0, team.workersAlive(), "the worker outlived its workspace");
    }
}
