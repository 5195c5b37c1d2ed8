package bitsgd.harness.probe;

import bitsgd.harness.io.Csv;
import bitsgd.harness.popgrad.FourierGap;
import bitsgd.harness.task.SparseParity;
import bitsgd.harness.model.BitMlp;
import bitsgd.harness.model.Model;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.popgrad.PopGrad;
import bitsgd.kernel.popgrad.PopGradKernels;
import bitsgd.kernel.popgrad.PopTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * Hidden-progress probes (docs/protocols.md §A): at each call, from the live net only (no randomness drawn):
 * <ul>
 *   <li>ρ_t = ‖W_t − W_0‖∞ over the whole first layer;</li>
 *   <li>mean and max |W_ij| over i ∈ S and over i ∉ S, for all neurons and for each chosen neuron;</li>
 *   <li>when a population-gradient kernel is given: the exact population loss, accuracy and the Fourier gap
 *       of ∂/∂W (overall, best and median neuron, the fraction of neurons with a positive gap, the median
 *       scale-free gap, each chosen neuron), for the training loss and the clean
 *       parity labels, also in a random-label control run (it measures progress toward χ_S).</li>
 * </ul>
 */
public final class Probes implements Trainer.Probe {
    private final float[] w0;
    private final long support;
    private final int[] neurons;
    private final PopGradKernels popgrad;
    private final PopTarget popTarget;
    private final Loss loss;
    private final List<Row> rows = new ArrayList<>();

    /** One probe reading; gap fields are NaN when the population gradient is off. */
    public record Row(long step, double rho, double onMean, double onMax, double offMean, double offMax, double[] neuronOnMean,
                      double[] neuronOnMax, double[] neuronOffMean, double[] neuronOffMax, double popLoss, double popAccuracy,
                      double gapOverall, double gapBest, double gapMedian, double gapPositive, double gapRelMedian, double[] neuronGap) {}

    /**
     * @param initial the net before training (copied: W_0)
     * @param neurons hidden units whose weights (and gap) get their own columns
     * @param popgrad kernels for the exact population gradient, or null to skip it
     */
    public Probes(Mlp2 initial, SparseParity target, int[] neurons, PopGradKernels popgrad, Loss loss) {
        this(initial.w, initial.h, target, neurons, popgrad, loss);
    }

    /**
     * Any model: the first-layer weights of {@link Model#firstLayer()}; the population gradient (popgrad non-null)
     * exists only for the 2-layer MLP.
     */
    public Probes(Model initial, SparseParity target, int[] neurons, PopGradKernels popgrad, Loss loss) {
        this(initial.firstLayer(), initial.firstLayerUnits(), target, neurons, popgrad, loss);
        if (popgrad != null && !(initial instanceof BitMlp)) {
            throw new IllegalArgumentException("the exact population gradient is implemented for the 2-layer MLP only");
        }
    }

    private Probes(float[] initialW, int units, SparseParity target, int[] neurons, PopGradKernels popgrad, Loss loss) {
        for (int j : neurons) {
            if (j < 0 || j >= units) throw new IllegalArgumentException("probe neuron " + j + " outside [0," + units + ")");
        }
        this.w0 = initialW.clone();
        long m = 0;
        for (int i : target.secret()) m |= 1L << i;
        this.support = m;
        this.neurons = neurons.clone();
        this.popgrad = popgrad;
        this.popTarget = popgrad == null ? null : PopTarget.parity(target.n(), target.secret());
        this.loss = loss;
    }

    @Override
    public void at(long step, Model model) {
        if (model instanceof BitMlp mlp) at(step, mlp.net());
        else read(step, model.inputs(), model.firstLayerUnits(), model.firstLayer(), null);
    }

    /** A reading of the 2-layer MLP {@code net} (the population gradient included when on). */
    public void at(long step, Mlp2 net) {
        read(step, net.n, net.h, net.w, net);
    }

    private void read(long step, int n, int h, float[] w, Mlp2 net) {
        double rho = 0;
        for (int k = 0; k < w.length; k++) rho = Math.max(rho, Math.abs(w[k] - w0[k]));
        int on = Long.bitCount(support), off = n - on;
        double onSum = 0, onMax = 0, offSum = 0, offMax = 0;
        for (int i = 0; i < n; i++) {
            boolean rel = isRelevant(i);
            for (int j = 0; j < h; j++) {
                double v = Math.abs(w[i * h + j]);
                if (rel) {
                    onSum += v;
                    onMax = Math.max(onMax, v);
                } else {
                    offSum += v;
                    offMax = Math.max(offMax, v);
                }
            }
        }
        int c = neurons.length;
        double[] nOnMean = new double[c], nOnMax = new double[c], nOffMean = new double[c], nOffMax = new double[c];
        for (int q = 0; q < c; q++) {
            int j = neurons[q];
            for (int i = 0; i < n; i++) {
                double v = Math.abs(w[i * h + j]);
                if (isRelevant(i)) {
                    nOnMean[q] += v / on;
                    nOnMax[q] = Math.max(nOnMax[q], v);
                } else {
                    nOffMean[q] += v / off;
                    nOffMax[q] = Math.max(nOffMax[q], v);
                }
            }
        }
        double popLoss = Double.NaN, popAcc = Double.NaN, gO = Double.NaN, gB = Double.NaN, gM = Double.NaN, gP = Double.NaN, gR = Double.NaN;
        double[] nGap = new double[c];
        java.util.Arrays.fill(nGap, Double.NaN);
        if (popgrad != null && net != null) {
            PopGrad g = popgrad.compute(net, popTarget, loss, 0.0);
            FourierGap gap = FourierGap.of(g, support);
            popLoss = g.loss();
            popAcc = g.accuracy();
            gO = gap.overall();
            gB = gap.best();
            gM = gap.median();
            gP = gap.positive();
            gR = gap.relMedian();
            for (int q = 0; q < c; q++) nGap[q] = gap.perNeuron()[neurons[q]];
        }
        rows.add(new Row(step, rho, onSum / ((double) on * h), onMax, off == 0 ? Double.NaN : offSum / ((double) off * h), offMax,
                nOnMean, nOnMax, nOffMean, nOffMax, popLoss, popAcc, gO, gB, gM, gP, gR, nGap));
    }

    private boolean isRelevant(int i) {
        return (support >>> i & 1) != 0;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public boolean hasPopGrad() {
        return popgrad != null;
    }

    /** The rows as CSV: one line per probe, empty cells for values that were not measured. */
    public String csv() {
        List<String> header = new ArrayList<>(List.of("step", "rho", "w_on_mean", "w_on_max", "w_off_mean", "w_off_max"));
        for (int j : neurons) header.addAll(List.of("n" + j + "_on_mean", "n" + j + "_on_max", "n" + j + "_off_mean", "n" + j + "_off_max"));
        if (popgrad != null) {
            header.addAll(List.of("pop_loss", "pop_accuracy", "gap_overall", "gap_best", "gap_median", "gap_positive_fraction", "gap_rel_median"));
            for (int j : neurons) header.add("n" + j + "_gap");
        }
        List<List<String>> out = new ArrayList<>();
        for (Row r : rows) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(r.step()), num(r.rho()), num(r.onMean()), num(r.onMax()), num(r.offMean()),
                    num(r.offMax())));
            for (int q = 0; q < neurons.length; q++) {
                row.addAll(List.of(num(r.neuronOnMean()[q]), num(r.neuronOnMax()[q]), num(r.neuronOffMean()[q]), num(r.neuronOffMax()[q])));
            }
            if (popgrad != null) {
                row.addAll(List.of(num(r.popLoss()), num(r.popAccuracy()), num(r.gapOverall()), num(r.gapBest()), num(r.gapMedian()),
                        num(r.gapPositive()), num(r.gapRelMedian())));
                for (int q = 0; q < neurons.length; q++) row.add(num(r.neuronGap()[q]));
            }
            out.add(row);
        }
        return Csv.write(header, out);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }
}
