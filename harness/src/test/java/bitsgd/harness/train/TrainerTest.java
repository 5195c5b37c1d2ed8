package bitsgd.harness.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import bitsgd.harness.UsageException;
import bitsgd.harness.train.RunStreams.Stream;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.MlpKernels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainerTest {

    /** (n,k) = (20,3), width 100, lr 0.1, B 32: PyTorch needs ~800 steps; the budget is generous. */
    private static TrainConfig small() {
        return TrainConfig.defaults(20, 3).withTraining(100, 32, 0.1, 0.0, Loss.HINGE);
    }

    @Test
    void solvesSmallParityWithDefaultKernels() {
        TrainConfig cfg = small().withSteps(20_000, 100, true).withSeed(1);
        List<CurvePoint> curve = new ArrayList<>();
        RunResult r = new Trainer(cfg).run(curve::add);
        assertTrue(r.solved(), "not solved in " + r.steps() + " steps, last point " + curve.getLast());
        assertFalse(r.diverged());
        assertNotNull(r.tC());
        assertEquals(r.tC().longValue(), r.steps(), "stops at the solving check");
        assertEquals(0, r.tC() % 100, "t_c at check resolution");
        assertEquals(1.0, r.finalEvalAccuracy());
        assertEquals(Kernels.mlp().name(), r.kernels());
        assertEquals(3, r.secret().size());
        CurvePoint last = curve.getLast();
        assertTrue(last.full() && last.evalAccuracy() == 1.0 && last.evalScored() == 8192);
        // every earlier point was a check that failed, quick (256) or full
        for (CurvePoint p : curve.subList(0, curve.size() - 1)) assertTrue(p.evalAccuracy() < 1.0);
        assertTrue(r.trainSeconds() > 0 && r.stepsPerSecond() > 0);
    }

    @Test
    void aNonSgdRunNamesTheKernelsOfItsGradientPass() {
        TrainConfig sgd = small().withSteps(200, 100, false).withSeed(1);
        TrainConfig adam = sgd.withSetup(sgd.setup().withOptimizer(OptimizerSpec.of("adam", null, null, null, null)));
        assertEquals(Kernels.mlp().name(), new Trainer(sgd).run(p -> {}).kernels());
        String gradient = Kernels.mlp() == Kernels.scalarMlp() ? "scalar" : Kernels.twinMlp().name();
        assertEquals(Kernels.mlp().name() + ", gradient pass " + gradient + " on one thread", new Trainer(adam).run(p -> {}).kernels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void sameSeedGivesBitIdenticalRun(String kernels) {
        assumeTrue(!kernels.equals("vector") || Kernels.vectorAvailable(), "vector kernels unavailable");
        TrainConfig cfg = small().withKernels(kernels).withSteps(600, 100, false).withSeed(42);
        Trainer t1 = new Trainer(cfg), t2 = new Trainer(cfg);
        RunResult r1 = t1.run(p -> {}), r2 = t2.run(p -> {});
        assertTrue(t1.net().bitEquals(t2.net()), "params differ by " + t1.net().maxAbsDiff(t2.net()));
        assertEquals(r1.steps(), r2.steps());
        assertEquals(r1.tC(), r2.tC());
        assertEquals(Double.doubleToLongBits(r1.finalLoss()), Double.doubleToLongBits(r2.finalLoss()));
        assertEquals(r1.finalEvalAccuracy(), r2.finalEvalAccuracy());
        assertEquals(r1.secret(), r2.secret());
        assertEquals(r1.kernels(), r2.kernels());
        // a different seed moves everything
        Trainer t3 = new Trainer(cfg.withSeed(43));
        t3.run(p -> {});
        assertFalse(t1.net().bitEquals(t3.net()));
    }

    @Test
    void evalSetSizeDoesNotChangeTraining() {
        TrainConfig cfg = small().withKernels("scalar").withSteps(500, 50, false).withSeed(5);
        Trainer a = new Trainer(cfg), b = new Trainer(cfg.withEvalSamples(300)), c = new Trainer(cfg.withEvalSamples(1));
        a.run(p -> {});
        b.run(p -> {});
        c.run(p -> {});
        assertTrue(a.net().bitEquals(b.net()));
        assertTrue(a.net().bitEquals(c.net()));
    }

    @Test
    void fixedSecretIsUsed() {
        TrainConfig cfg = new TrainConfig(20, 3, 100, 32, 0.1, 0, Loss.HINGE, 0, 100, 100, 256, 1.0, "scalar",
                List.of(7, 1, 2), true);
        RunResult r = new Trainer(cfg).run(p -> {});
        assertEquals(List.of(1, 2, 7), r.secret());
    }

    @Test
    void divergingRunStops() {
        TrainConfig cfg = small().withTraining(100, 32, 1e6, 0.0, Loss.SQUARE).withKernels("scalar").withSteps(1000, 100, true);
        List<CurvePoint> curve = new ArrayList<>();
        RunResult r = new Trainer(cfg).run(curve::add);
        assertTrue(r.diverged());
        assertFalse(r.solved());
        assertNull(r.tC());
        assertTrue(r.steps() < 1000, "stopped early at " + r.steps());
        assertFalse(Double.isFinite(r.finalLoss()));
        assertNull(r.toMap().get("final_loss"), "non-finite numbers become JSON null");
    }

    @Test
    void streamsAreIndependentAndReproducible() {
        RunStreams s = new RunStreams(9), s2 = new RunStreams(9);
        for (Stream st : Stream.values()) assertEquals(s.get(st).nextLong(), s2.get(st).nextLong());
        assertNotEquals(s.get(Stream.DATA).nextLong(), s.get(Stream.EVAL).nextLong());
        assertNotEquals(new RunStreams(10).get(Stream.DATA).nextLong(), s.get(Stream.DATA).nextLong());
    }

    @Test
    void scoringStopsOnceTheErrorsExceedTheAllowance() {
        TrainConfig cfg = small().withKernels("scalar");
        Trainer t = new Trainer(cfg);
        var k = t.model();
        EvalSet eval = new EvalSet(t.target(), 3000, new RunStreams(1).get(Stream.EVAL));
        float[] f = new float[eval.maxChunk()];
        EvalSet.Score quick = eval.score(k, f, 0);   // untrained: errors in the first 256
        assertEquals(EvalSet.QUICK, quick.total());
        assertFalse(quick.full());
        assertFalse(EvalSet.passed(quick, 0));
        EvalSet.Score full = eval.score(k, f, eval.size());
        assertEquals(3000, full.total());
        assertTrue(full.full());
        // an allowance of exactly the errors there are: scored to the end and passed
        EvalSet.Score atLimit = eval.score(k, f, full.errors());
        assertTrue(atLimit.full());
        assertTrue(EvalSet.passed(atLimit, full.errors()));
        assertFalse(EvalSet.passed(eval.score(k, f, full.errors() - 1), full.errors() - 1));
        // all-zero output: f = 0 counts as an error everywhere
        java.util.Arrays.fill(t.net().a, 0f);
        t.net().c = 0f;
        assertEquals(0, eval.score(k, f, eval.size()).correct());
    }

    @Test
    void targetAccuracyGivesTheErrorAllowance() {
        assertEquals(0, small().validate().maxEvalErrors());
        assertEquals(99, small().withEvalSamples(10_000).withTargetAccuracy(0.9901).maxEvalErrors()); // peers: error < 1%
        assertEquals(100, small().withEvalSamples(10_000).withTargetAccuracy(0.99).maxEvalErrors());
        assertThrows(UsageException.class, () -> small().withTargetAccuracy(0).validate());
        assertThrows(UsageException.class, () -> small().withTargetAccuracy(1.5).validate());
        assertThrows(UsageException.class, () -> small().withTargetAccuracy(Double.NaN).validate());
    }

    @Test
    void validateNamesTheBadValue() {
        assertEquals("--k 5 exceeds --n 3", assertThrows(UsageException.class, () -> TrainConfig.defaults(3, 5).validate()).getMessage());
        assertThrows(UsageException.class, () -> small().withTraining(0, 32, 0.1, 0, Loss.HINGE).validate());
        assertThrows(UsageException.class, () -> small().withTraining(10, 32, 1e300, 0, Loss.HINGE).validate());
        assertThrows(UsageException.class, () -> small().withTraining(10, 32, 0.1, Double.NaN, Loss.HINGE).validate());
        assertThrows(UsageException.class, () -> small().withSteps(0, 1, true).validate());
        assertThrows(UsageException.class, () -> small().withKernels("gpu").validate());
    }
}
