package bitsgd.harness.popgrad;

import bitsgd.kernel.popgrad.PopGrad;
import java.util.Arrays;

/**
 * The Fourier gap of a first-layer gradient (PROTOCOLS.md §A (a)): for neuron j,
 * gap_j = min_{i∈S} |g_ij| − max_{i∉S} |g_ij|; positive ⇔ every relevant coordinate's gradient is larger than
 * every irrelevant one's, so one gradient step moves the neuron toward S. Overall = the same over the whole
 * n×h matrix: min over (i∈S, all j) minus max over (i∉S, all j).
 *
 * @param perNeuron gap_j for every neuron
 * @param overall   the whole-matrix gap
 * @param best      max_j gap_j
 * @param median    median_j gap_j
 * @param onMean    mean over (i∈S, j) of |g_ij|
 * @param offMean   mean over (i∉S, j) of |g_ij| (NaN when S = [n])
 */
public record FourierGap(double[] perNeuron, double overall, double best, double median, double onMean, double offMean) {

    /** The gap of {@code g}'s ∂/∂W for support mask {@code support} (bit i ⇔ i ∈ S). */
    public static FourierGap of(PopGrad g, long support) {
        int n = g.n(), h = g.h();
        double[] minOn = new double[h], maxOff = new double[h];
        Arrays.fill(minOn, Double.POSITIVE_INFINITY);
        Arrays.fill(maxOff, Double.NEGATIVE_INFINITY);
        double onSum = 0, offSum = 0;
        int on = 0;
        for (int i = 0; i < n; i++) {
            boolean rel = (support >>> i & 1) != 0;
            if (rel) on++;
            for (int j = 0; j < h; j++) {
                double v = Math.abs(g.w(i, j));
                if (rel) {
                    minOn[j] = Math.min(minOn[j], v);
                    onSum += v;
                } else {
                    maxOff[j] = Math.max(maxOff[j], v);
                    offSum += v;
                }
            }
        }
        double[] gaps = new double[h];
        double allMinOn = Double.POSITIVE_INFINITY, allMaxOff = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < h; j++) {
            // with S = [n] there is nothing off S: the gap is the smallest relevant coordinate
            gaps[j] = minOn[j] - (maxOff[j] == Double.NEGATIVE_INFINITY ? 0 : maxOff[j]);
            allMinOn = Math.min(allMinOn, minOn[j]);
            allMaxOff = Math.max(allMaxOff, maxOff[j]);
        }
        double[] sorted = gaps.clone();
        Arrays.sort(sorted);
        double median = h % 2 == 1 ? sorted[h / 2] : 0.5 * (sorted[h / 2 - 1] + sorted[h / 2]);
        double overall = allMinOn - (allMaxOff == Double.NEGATIVE_INFINITY ? 0 : allMaxOff);
        int off = n - on;
        return new FourierGap(gaps, overall, sorted[h - 1], median, onSum / ((double) on * h),
                off == 0 ? Double.NaN : offSum / ((double) off * h));
    }
}
