package bitsgd.harness.popgrad;

import bitsgd.kernel.popgrad.PopGrad;
import java.util.Arrays;

/**
 * The Fourier gap of a first-layer gradient (docs/protocols.md §A (a)): for neuron j,
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
 * @param positive  fraction of neurons with gap_j &gt; 0 (their gradient already points at S)
 * @param relMedian median_j of gap_j / max_i |g_ij|, a scale-free gap in [−1, 1] (0 for a dead neuron)
 */
public record FourierGap(double[] perNeuron, double overall, double best, double median, double onMean, double offMean,
                         double positive, double relMedian) {

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
        double[] gaps = new double[h], rel = new double[h];
        int positive = 0;
        double allMinOn = Double.POSITIVE_INFINITY, allMaxOff = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < h; j++) {
            // with S = [n] there is nothing off S: the gap is the smallest relevant coordinate
            gaps[j] = minOn[j] - (maxOff[j] == Double.NEGATIVE_INFINITY ? 0 : maxOff[j]);
            double top = Math.max(minOn[j], maxOff[j]);
            for (int i = 0; i < n; i++) top = Math.max(top, Math.abs(g.w(i, j)));
            rel[j] = top > 0 ? gaps[j] / top : 0;
            if (gaps[j] > 0) positive++;
            allMinOn = Math.min(allMinOn, minOn[j]);
            allMaxOff = Math.max(allMaxOff, maxOff[j]);
        }
        double[] sorted = gaps.clone();
        Arrays.sort(sorted);
        double median = median(sorted);
        Arrays.sort(rel);
        double overall = allMinOn - (allMaxOff == Double.NEGATIVE_INFINITY ? 0 : allMaxOff);
        int off = n - on;
        return new FourierGap(gaps, overall, sorted[h - 1], median, onSum / ((double) on * h),
                off == 0 ? Double.NaN : offSum / ((double) off * h), (double) positive / h, median(rel));
    }

    private static double median(double[] sorted) {
        int h = sorted.length;
        return h % 2 == 1 ? sorted[h / 2] : 0.5 * (sorted[h / 2 - 1] + sorted[h / 2]);
    }
}
