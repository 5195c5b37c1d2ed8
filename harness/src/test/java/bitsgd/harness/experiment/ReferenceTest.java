package bitsgd.harness.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.experiment.Measure.Scale;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bands of {@link Reference} on hand-made measures: the numbers the class comment promises. */
class ReferenceTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    private static List<Double> values(double... v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) out.add(x);
        return out;
    }

    /** 25 seeds spread log-evenly between q1 and q3 around a median m (IQR = [m/1.1, m·1.1]). */
    private static List<Double> spread(double m, int seeds) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < seeds; i++) out.add(m * Math.pow(1.1, 2.0 * (i - (seeds - 1) / 2.0) / ((seeds - 1) / 2.0)));
        Collections.shuffle(out, new java.util.Random(1));
        return out;
    }

    @Test
    void aLogBandFollowsTheSeedSpreadAndSeedCounts() {
        Measure ref = new Measure("t_c", Scale.LOG, spread(1000, 25), 0);
        Reference r = Reference.of("x", "cmd", "today", "abc", List.of(ref));
        double q1 = ref.q1(), q3 = ref.q3();
        double se = 1.2533 * Math.log(q3 / q1) / 1.349 * Math.sqrt(1 / 25.0 + 1 / 5.0);
        var c = Reference.compare("t_c", r.values().get("t_c"), 1000, 5);
        assertEquals(1000 * Math.exp(-3 * se), c.lo(), 1e-6);
        assertEquals(1000 * Math.exp(3 * se), c.hi(), 1e-6);
        assertTrue(c.ok());
        assertFalse(Reference.compare("t_c", r.values().get("t_c"), 1000 * Math.exp(3.01 * se), 5).ok());
        // more new seeds: a narrower band
        assertTrue(Reference.compare("t_c", r.values().get("t_c"), 1000, 25).hi() < c.hi());
    }

    @Test
    void theResolutionOfTheChecksWidensTheBand() {
        // every seed solved at the same check (t_c = 60 with checks every 10 steps): no spread, the band is one check either way
        var s = Reference.of("x", "cmd", "today", "abc", List.of(new Measure("t_c", Scale.LOG, values(60, 60, 60), 10))).values().get("t_c");
        var c = Reference.compare("t_c", s, 50, 1);
        assertEquals(50, c.lo(), 1e-9);
        assertEquals(70, c.hi(), 1e-9);
        assertTrue(c.ok());
        assertFalse(Reference.compare("t_c", s, 40, 1).ok());
        assertFalse(Reference.compare("t_c", s, 80, 1).ok());
        // exact values (no resolution, no spread) must match
        var exact = Reference.of("x", "c", "t", "r", List.of(new Measure("mse", Scale.LOG, values(0.5, 0.5), 0))).values().get("mse");
        assertTrue(Reference.compare("mse", exact, 0.5, 2).ok());
        assertFalse(Reference.compare("mse", exact, 0.5001, 2).ok());
    }

    @Test
    void neverSolvedMustStayNeverSolvedAndViceVersa() {
        var none = Reference.of("x", "c", "t", "r", List.of(new Measure("t_c", Scale.LOG, values(INF, INF, 5), 1))).values().get("t_c");
        assertTrue(Reference.compare("t_c", none, INF, 2).ok());
        assertFalse(Reference.compare("t_c", none, 10, 2).ok());
        var some = Reference.of("x", "c", "t", "r", List.of(new Measure("t_c", Scale.LOG, values(10, 12, 14, INF, INF), 1))).values().get("t_c");
        assertEquals(14, some.centre());
        var c = Reference.compare("t_c", some, 14, 5);
        // q3 = ∞: the spread comes from the lower half, and a new median of ∞ is no evidence of a change
        assertEquals(14 * Math.exp(-3 * 1.2533 * 2 * Math.log(14 / 12.0) / 1.349 * Math.sqrt(0.4)) - 1, c.lo(), 1e-9);
        assertEquals(INF, c.hi());
        assertTrue(Reference.compare("t_c", some, INF, 5).ok());
        assertFalse(Reference.compare("t_c", some, 5, 5).ok());
    }

    @Test
    void aShareOfSolvedSeedsHasABinomialBand() {
        List<Double> tc = new ArrayList<>();
        for (int i = 0; i < 20; i++) tc.add(i % 2 == 0 ? 100.0 + i : INF);
        var half = Reference.of("x", "c", "t", "r", List.of(Measure.solvedShare("solved", tc))).values().get("solved");
        assertEquals(0.5, half.centre());
        var c = Reference.compare("solved", half, 0.5, 20);
        double h = 3 * Math.sqrt(0.25 * (1 / 20.0 + 1 / 20.0));
        assertEquals(0.5 - h, c.lo(), 1e-12);
        assertEquals(0.5 + h, c.hi(), 1e-12);
        assertFalse(Reference.compare("solved", half, 1.0, 20).ok());
        var all = Reference.of("x", "c", "t", "r", List.of(Measure.solvedShare("solved", values(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)))).values().get("solved");
        assertTrue(Reference.compare("solved", all, 1 / 3.0, 3).ok());        // three new seeds tell little
        assertFalse(Reference.compare("solved", all, 0, 3).ok());
    }

    @Test
    void aShiftOfEveryMedianFailsEvenWhenEachStaysInItsBand() {
        List<Measure> ref = new ArrayList<>(), same = new ArrayList<>(), shifted = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            double m = 100 * (i + 1);
            ref.add(new Measure("t_c " + i, Scale.LOG, spread(m, 25), 0));
            same.add(new Measure("t_c " + i, Scale.LOG, spread(m, 5), 0));
            shifted.add(new Measure("t_c " + i, Scale.LOG, spread(m * 1.08, 5), 0));
        }
        Reference r = Reference.of("x", "c", "t", "r", ref);
        assertTrue(r.compare(same).ok(), r.compare(same).shiftLine());
        Reference.Outcome o = r.compare(shifted);
        assertTrue(o.comparisons().stream().allMatch(Reference.Comparison::ok), "each median alone stays inside its band");
        assertFalse(o.ok(), o.shiftLine());
        assertEquals(1.08, o.geometricMeanRatio(), 1e-9);
    }

    @Test
    void namesOnOneSideOnlyFailAndTheFileReadsBackTheSame() {
        List<Measure> ms = List.of(new Measure("a", Scale.LOG, values(1, 2, INF), 1), Measure.solvedShare("b", values(1, INF)));
        Reference r = Reference.of("v-quick", "bin/bitsgd reproduce v --quick", "2026-12-03", "abc", ms);
        Reference back = Reference.parse(r.toJson());
        assertEquals(r, back);
        var o = r.compare(List.of(ms.get(0), new Measure("c", Scale.LOG, values(3), 0)));
        assertFalse(o.ok());
        assertEquals(List.of("a", "c", "b"), o.comparisons().stream().map(Reference.Comparison::name).toList());
        assertTrue(o.comparisons().get(1).line().contains("not in the reference"), o.comparisons().get(1).line());
        assertTrue(o.comparisons().get(2).line().contains("in the reference but not measured"));
    }
}
