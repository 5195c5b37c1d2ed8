package bitsgd.harness.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.io.Json;
import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.sweep.SweepSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reproduce --check} on numbers: a healthy quick run passes against its stored reference, a trainer at lr × 1.5 does not. */
class CheckTest {
    private static final Experiment.Variant QUICK = Experiment.Variant.QUICK;

    /** scaling-relu100's quick variant with every run's learning rate scaled: same grid, same names, same reference. */
    static final class ScaledLr extends SweepExperiment {
        ScaledLr(double factor) {
            super("scaling-relu100", "lr x " + factor, quickJson(factor), quickJson(factor));
        }

        private static String quickJson(double factor) {
            SweepSpec s = Experiments.get("scaling-relu100").spec(QUICK);
            Map<String, Object> m = new LinkedHashMap<>(s.toMap());
            @SuppressWarnings("unchecked")
            Map<String, Object> fixed = new LinkedHashMap<>((Map<String, Object>) m.get("fixed"));
            fixed.put("lr", ((Number) fixed.get("lr")).doubleValue() * factor);
            m.put("fixed", fixed);
            return Json.line(m);
        }

        @Override
        protected String x() {
            return "n";
        }
    }

    private static String check(Experiment e, Path dir) throws Exception {
        StringWriter o = new StringWriter(), err = new StringWriter();
        PrintWriter out = new PrintWriter(o);
        assertEquals(0, e.run(QUICK, dir, new Experiment.Env(2, ProgressMode.NONE, out, new PrintWriter(err))), o + "\n" + err);
        o.getBuffer().setLength(0);
        boolean ok = Check.report(out, e.name() + "-quick", e, QUICK, dir);
        out.flush();
        return (ok ? "PASSED\n" : "FAILED\n") + o;
    }

    @Test
    void aHealthyRunPassesAndATrainerAtOneAndAHalfTimesTheLearningRateFails(@TempDir Path tmp) throws Exception {
        String healthy = check(Experiments.get("scaling-relu100"), tmp.resolve("healthy"));
        assertTrue(healthy.startsWith("PASSED"), healthy);
        assertTrue(healthy.contains("numbers: OK"), healthy);
        assertTrue(healthy.contains("t_c k=3 n=20") && healthy.contains("reference") && healthy.contains("band"), healthy);

        String same = check(new ScaledLr(1.0), tmp.resolve("same"));   // the test's own construction changes nothing by itself
        assertTrue(same.startsWith("PASSED"), same);

        String perturbed = check(new ScaledLr(1.5), tmp.resolve("perturbed"));
        assertTrue(perturbed.startsWith("FAILED"), perturbed);
        assertTrue(perturbed.contains("numbers: FAIL"), perturbed);
        assertTrue(perturbed.lines().anyMatch(l -> l.contains("t_c k=3") && l.endsWith("FAIL")), perturbed);
        assertFalse(perturbed.contains("check scaling-relu100-quick: FAIL summary"), "the shape is fine; only the numbers moved");
    }
}
