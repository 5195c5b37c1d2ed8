package bitsgd.harness.task;

import bitsgd.harness.model.Inputs;
import bitsgd.kernel.bits.BitBatch;

/** A target function y(x) on n inputs: fills the labels of a batch. Implementations are immutable. */
public interface Target {

    /** Input dimension. */
    int n();

    /** Labels y(x_b) for the first {@code x.size()} samples of the batch, into {@code y[0..size)}. */
    void labels(BitBatch x, float[] y);

    /** One short line, e.g. {@code parity n=50 S=[3, 17, 41]}. */
    String describe();

    /** y(x) for one dense row {@code x[off..off+n)} (real-valued inputs: biased hypercube, Gaussian). */
    default float value(float[] x, int off) {
        throw new UnsupportedOperationException(describe() + " has no form for real-valued inputs");
    }

    /** True when every label is ±1 (scored by the accuracy of sign f); false: real labels, scored by MSE. */
    default boolean binary() {
        return true;
    }

    /** E[y²] under the input distribution (1 for ±1 targets); a real-valued target's MSE bar is a fraction of it. */
    default double variance() {
        return 1.0;
    }

    /** Labels for either storage of {@code x}. */
    default void labels(Inputs x, float[] y) {
        if (x.packed()) {
            labels(x.bits(), y);
            return;
        }
        float[] d = x.dense();
        for (int b = 0, n = x.n(); b < x.size(); b++) y[b] = value(d, b * n);
    }
}
