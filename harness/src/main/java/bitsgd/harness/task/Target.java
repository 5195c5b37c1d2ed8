package bitsgd.harness.task;

import bitsgd.kernel.bits.BitBatch;

/** A target function y(x) on {±1}^n: fills the labels of a batch. Implementations are immutable. */
public interface Target {

    /** Input dimension. */
    int n();

    /** Labels y(x_b) for the first {@code x.size()} samples of the batch, into {@code y[0..size)}. */
    void labels(BitBatch x, float[] y);

    /** One short line, e.g. {@code parity n=50 S=[3, 17, 41]}. */
    String describe();
}
