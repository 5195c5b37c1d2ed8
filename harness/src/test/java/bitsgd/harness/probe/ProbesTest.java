package bitsgd.harness.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.task.SparseParity;
import bitsgd.harness.train.CurvePoint;
import bitsgd.harness.train.RunResult;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.popgrad.PopGrads;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbesTest {

    static TrainConfig cfg() {
        return TrainConfig.defaults(12, 3).withTraining(16, 32, 0.1, 0, Loss.HINGE).withSteps(400, 50, false).withSeed(5)
                .withEvalSamples(512);
    }

    /** A probed run and an unprobed run with the same seed train bit-identically (probes draw no randomness). */
    @Test
    void probesDoNotPerturbTraining() {
        Trainer plain = new Trainer(cfg());
        List<CurvePoint> c1 = new ArrayList<>(), c2 = new ArrayList<>();
        RunResult r1 = plain.run(c1::add);
        Trainer probed = new Trainer(cfg());
        Probes p = new Probes(probed.net(), (SparseParity) probed.target(), new int[] {0, 3}, PopGrads.get(), Loss.HINGE);
        probed.probe(30, p);
        RunResult r2 = probed.run(c2::add);
        assertTrue(plain.net().bitEquals(probed.net()), "params differ by " + plain.net().maxAbsDiff(probed.net()));
        assertEquals(Double.doubleToLongBits(r1.finalLoss()), Double.doubleToLongBits(r2.finalLoss()));
        assertEquals(c1, c2);
        // step 0, every 30 steps, and the last step (400 is not a multiple of 30)
        assertEquals(1 + 400 / 30 + 1, p.rows().size());
        assertEquals(0, p.rows().get(0).step());
        assertEquals(0.0, p.rows().get(0).rho());
        assertEquals(400, p.rows().get(p.rows().size() - 1).step());
        assertTrue(p.rows().get(p.rows().size() - 1).rho() > 0);
        assertTrue(Double.isFinite(p.rows().get(1).gapOverall()));
        String csv = p.csv();
        assertTrue(csv.startsWith("step,rho,w_on_mean,"), csv);
        assertTrue(csv.lines().findFirst().orElseThrow().contains("n3_gap"));
        assertEquals(p.rows().size() + 1, csv.lines().count());
    }

    /** ρ_t at the end is ‖W_T − W_0‖∞, recomputed from the initial net. */
    @Test
    void rhoIsTheMaxAbsChange() {
        Trainer t = new Trainer(cfg());
        var w0 = t.net().copy();
        Probes p = new Probes(t.net(), (SparseParity) t.target(), new int[] {1}, null, Loss.HINGE);
        t.probe(100, p);
        t.run(c -> {});
        double rho = 0;
        for (int k = 0; k < w0.w.length; k++) rho = Math.max(rho, Math.abs(t.net().w[k] - w0.w[k]));
        assertEquals(rho, p.rows().get(p.rows().size() - 1).rho(), 0.0);
        assertTrue(Double.isNaN(p.rows().get(1).gapOverall()));
        assertFalse(p.csv().contains("gap"));
    }

    /** Random labels change the trajectory, deterministically, and leave the data stream alone. */
    @Test
    void randomLabelsAreReproducible() {
        Trainer a = new Trainer(cfg()).randomLabels(true), b = new Trainer(cfg()).randomLabels(true), c = new Trainer(cfg());
        a.run(x -> {});
        b.run(x -> {});
        c.run(x -> {});
        assertTrue(a.net().bitEquals(b.net()));
        assertFalse(a.net().bitEquals(c.net()));
    }
}
