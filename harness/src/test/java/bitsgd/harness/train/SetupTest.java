package bitsgd.harness.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.Inputs;
import bitsgd.harness.task.SparseParity;
import bitsgd.kernel.mlp.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The run options beyond the online parity MLP: schedules, label noise, finite samples, input distributions. */
class SetupTest {

    private static TrainConfig base() {
        return TrainConfig.defaults(20, 3).withTraining(100, 32, 0.1, 0.0, Loss.HINGE).withKernels("scalar");
    }

    @Test
    void isDefaultAgreesWithEquals() {
        java.util.List<Setup> setups = java.util.List.of(Setup.DEFAULT, Setup.DEFAULT.withTarget("parity"), Setup.DEFAULT.withTarget("majority"),
                Setup.DEFAULT.withModel(new bitsgd.harness.model.ModelSpec("mlp", 7, 2, "relu", 0, true, "uniform")),
                Setup.DEFAULT.withModel(new bitsgd.harness.model.ModelSpec("mlp", 100, 2, "pow", 3, true, "uniform")),
                Setup.DEFAULT.withModel(new bitsgd.harness.model.ModelSpec("mlp", 100, 2, "relu", 0, true, "gaussian")),
                Setup.DEFAULT.withRates(java.util.List.of(0.1, 0.2), "none"), Setup.DEFAULT.withRates(null, "halve:10"),
                Setup.DEFAULT.withData(0.1, 0, "pm1"), Setup.DEFAULT.withData(0, 100, "pm1"), Setup.DEFAULT.withData(0, 0, "gaussian"),
                Setup.DEFAULT.withTracking(0.1, 0), Setup.DEFAULT.withTracking(0.05, 3), Setup.DEFAULT.withScoreByMse(true));
        for (Setup s : setups) assertEquals(s.equals(Setup.DEFAULT), s.isDefault(), s.toString());
    }

    @Test
    void theDefaultSetupDoesNotDependOnTheWidth() {
        // the CLI builds its ModelSpec with the run's width; the parity MLP must still be the default setup
        var spec = new bitsgd.harness.model.ModelSpec("mlp", 1000, 2, "relu", 0, true, "uniform");
        Setup s = new Setup("parity", spec, null, "none", 0.0, 0, "pm1", 0.05, 0, false);
        assertEquals(Setup.DEFAULT, s);
        assertEquals(1000, base().withTraining(1000, 32, 0.1, 0, Loss.HINGE).withSetup(s).model().width());
    }

    @Test
    void schedulesHalveAndStep() {
        LrSchedule halve = LrSchedule.parse("halve:15000");
        assertEquals(1.0, halve.factor(0));
        assertEquals(1.0, halve.factor(14_999));
        assertEquals(0.5, halve.factor(15_000));
        assertEquals(1.0 / 64, halve.factor(99_999), "the staircase paper ends at η/64");
        assertEquals(30_000, halve.nextChange(15_000));
        LrSchedule steps = LrSchedule.parse("steps:10:1,0.5,0.5,0.25");
        assertEquals(1.0, steps.factor(9));
        assertEquals(0.5, steps.factor(10));
        assertEquals(0.5, steps.factor(29));
        assertEquals(0.25, steps.factor(30));
        assertEquals(0.25, steps.factor(1_000_000), "the last factor repeats");
        assertEquals(1.0, LrSchedule.NONE.factor(123_456_789));
        assertEquals(Long.MAX_VALUE, LrSchedule.NONE.nextChange(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"halve", "halve:0", "halve:x", "steps:10", "steps:10:1,-1", "steps:10:", "cosine:5", "steps:10:1,nan"})
    void badSchedulesAreUsageErrors(String spec) {
        assertThrows(UsageException.class, () -> LrSchedule.parse(spec));
    }

    @Test
    void aScheduleChangesTheTrajectoryOnlyAfterItsFirstPeriod() {
        TrainConfig plain = base().withSteps(60, 60, false);
        TrainConfig sched = plain.withSetup(plain.setup().withRates(null, "halve:40"));
        float[] p40 = run(plain.withSteps(40, 40, false)), s40 = run(sched.withSteps(40, 40, false));
        assertArrayEquals(p40, s40, "identical before the first halving");
        assertFalse(java.util.Arrays.equals(run(plain), run(sched)));
    }

    private static float[] run(TrainConfig cfg) {
        Trainer t = new Trainer(cfg);
        t.run(p -> {});
        return t.model().parameters();
    }

    @Test
    void biasedAndGaussianInputsAreStandardised() {
        for (String spec : List.of("biased:0.75", "gaussian")) {
            InputDist d = InputDist.parse(spec);
            assertFalse(d.packed());
            Inputs x = d.newInputs(50, 4000);
            d.fill(x, new SplittableRandom(3));
            double sum = 0, sq = 0;
            for (float v : x.dense()) {
                sum += v;
                sq += v * v;
            }
            int count = 50 * 4000;
            assertEquals(0, sum / count, 0.02, spec);
            assertEquals(1, sq / count, 0.03, spec);
        }
        InputDist biased = InputDist.parse("biased:0.75");
        Inputs x = biased.newInputs(1, 1000);
        biased.fill(x, new SplittableRandom(1));
        for (float v : x.dense()) assertTrue(Math.abs(v - Math.sqrt(1 / 3.0)) < 1e-6 || Math.abs(v + Math.sqrt(3)) < 1e-6, "value " + v);
        assertTrue(InputDist.parse("pm1").packed());
        for (String bad : List.of("biased:1", "biased:0", "biased:x", "uniform", "gauss")) {
            assertThrows(UsageException.class, () -> InputDist.parse(bad), bad);
        }
    }

    @Test
    void labelNoiseFlipsAboutPOfTheTrainingLabels() {
        SparseParity target = SparseParity.of(20, 1, 5, 7);
        InputDist pm1 = InputDist.parse("pm1");
        var rng = new SplittableRandom(4);
        TrainData noisy = TrainData.online(target, pm1, 0.2, false, rng, new SplittableRandom(5));
        Inputs x = Inputs.bits(20, 1000);
        float[] y = new float[1000], clean = new float[1000];
        int flipped = 0, total = 0;
        for (int r = 0; r < 20; r++) {
            noisy.next(x, y);
            target.labels(x, clean);
            for (int b = 0; b < 1000; b++) if (y[b] != clean[b]) flipped++;
            total += 1000;
        }
        assertEquals(0.2, flipped / (double) total, 0.01);
    }

    @Test
    void aFixedTrainingSetIsCycledInOrder() {
        SparseParity target = SparseParity.of(20, 1, 5, 7);
        TrainData fixed = TrainData.fixed(target, InputDist.parse("pm1"), 10, 0.0, false, new SplittableRandom(6), new SplittableRandom(7));
        Inputs x = Inputs.bits(20, 4);
        float[] y = new float[4];
        List<float[]> seen = new ArrayList<>();
        for (int t = 0; t < 5; t++) {     // 20 samples = two passes over 10
            fixed.next(x, y);
            for (int b = 0; b < 4; b++) seen.add(x.bits().get(b));
        }
        for (int i = 0; i < 10; i++) assertArrayEquals(seen.get(i), seen.get(i + 10), "sample " + i + " repeats one pass later");
        assertFalse(java.util.Arrays.equals(seen.get(0), seen.get(1)));
        assertEquals(10, fixed.fixedSet().size());
    }

    @Test
    void finiteSampleRunsReportTrainAccuracyAndAreDeterministic() {
        TrainConfig cfg = base().withSteps(300, 100, false);
        cfg = cfg.withSetup(cfg.setup().withData(0.0, 200, "pm1"));
        List<CurvePoint> curve = new ArrayList<>();
        RunResult r = new Trainer(cfg).run(curve::add);
        assertTrue(r.finalTrainAccuracy() >= 0 && r.finalTrainAccuracy() <= 1);
        for (CurvePoint p : curve) assertTrue(p.trainAccuracy() >= 0 && p.trainAccuracy() <= 1);
        assertArrayEquals(run(cfg), run(cfg));
        assertTrue(Double.isNaN(new Trainer(base().withSteps(100, 100, false)).run(p -> {}).finalTrainAccuracy()));
    }

    @Test
    void realTargetsAreScoredByMseAndTrackCoefficients() {
        TrainConfig cfg = base().withTraining(100, 16, 0.05, 0.0, Loss.SQUARE).withSteps(400, 200, false);
        cfg = cfg.withSetup(cfg.setup().withTarget("staircase:3").withTracking(0.05, 3));
        List<CurvePoint> curve = new ArrayList<>();
        Trainer t = new Trainer(cfg);
        RunResult r = t.run(curve::add);
        assertEquals(4, t.tracked().size());
        assertTrue(Double.isNaN(r.finalEvalAccuracy()));
        assertTrue(r.finalEvalMse() >= 0);
        for (CurvePoint p : curve) {
            assertEquals(4, p.coefficients().length);
            assertTrue(p.evalMse() >= 0 && Double.isNaN(p.evalAccuracy()));
        }
        assertEquals(r.finalEvalMse(), curve.getLast().evalMse(), 1e-12);
    }

    @Test
    void aRealTargetsOwnMonomialsAreTrackedAfterThePrefixes() {
        var target = bitsgd.harness.task.Monomials.parse("x1 + x1*x2*x3 + 0.5*x4*x5", 10);
        List<int[]> own = Tasks.tracked(target, 0);
        assertEquals(3, own.size());
        assertArrayEquals(new int[] {0}, own.get(0));
        assertArrayEquals(new int[] {0, 1, 2}, own.get(1));
        assertArrayEquals(new int[] {3, 4}, own.get(2));
        List<int[]> both = Tasks.tracked(target, 2);   // {}, {0}, {0,1}, then {0,1,2} and {3,4}: {0} not twice
        assertEquals(5, both.size());
        assertArrayEquals(new int[] {3, 4}, both.get(4));
        assertTrue(Tasks.tracked(SparseParity.of(10, 1, 2), 0).isEmpty(), "±1 targets: only what --track-prefixes asks for");
    }

    @Test
    void impossibleCombinationsAreOneLineUsageErrors() {
        TrainConfig b = base();
        List<TrainConfig> bad = List.of(
                b.withSetup(b.setup().withData(0.7, 0, "pm1")),
                b.withSetup(b.setup().withData(0.0, -1, "pm1")),
                b.withSetup(b.setup().withData(0.0, 0, "biased:1.5")),
                b.withSetup(b.setup().withRates(null, "halve:0")),
                b.withSetup(b.setup().withRates(List.of(0.1, Double.NaN), "none")),
                b.withSetup(b.setup().withTarget("staircase:30")),
                b.withSetup(b.setup().withTarget("wave")),
                b.withSetup(b.setup().withTracking(0.0, 0)),
                b.withSetup(b.setup().withTracking(0.05, -1)));
        for (TrainConfig c : bad) {
            UsageException e = assertThrows(UsageException.class, () -> new Trainer(c), c.setup().toString());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        // the bit-packed MLP cannot read dense inputs; three rates for a two-layer net
        assertThrows(UsageException.class, () -> new Trainer(b.withSetup(b.setup().withData(0, 0, "gaussian"))));
        assertThrows(UsageException.class, () -> new Trainer(b.withSetup(b.setup().withRates(List.of(0.1, 0.1, 0.1), "none"))));
    }
}
