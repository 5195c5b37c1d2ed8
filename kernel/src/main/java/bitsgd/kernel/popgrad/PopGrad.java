package bitsgd.kernel.popgrad;

/**
 * The exact population gradient E_{x~U{±1}^n}[∇_θ ℓ(y(x), f(x; θ))] of an {@link bitsgd.kernel.mlp.Mlp2}, with the
 * population loss and accuracy, all as averages over the 2^n inputs (in double).
 *
 * @param n        input dimension
 * @param h        width
 * @param w        ∂/∂W, input-major like the net: {@code w[i*h + j]} = ∂/∂W_ij
 * @param b        ∂/∂b_j
 * @param a        ∂/∂a_j
 * @param c        ∂/∂c
 * @param loss     E[ℓ] (with label noise p: (1−p)·ℓ(y,f) + p·ℓ(−y,f))
 * @param accuracy P[y·f &gt; 0] against the clean labels (f = 0 is an error)
 * @param kernels  the name of the implementation that computed it
 */
public record PopGrad(int n, int h, double[] w, double[] b, double[] a, double c, double loss, double accuracy,
                      String kernels) {

    /** ∂/∂W_ij. */
    public double w(int i, int j) {
        return w[i * h + j];
    }

    /** Number of inputs enumerated, 2^n. */
    public long inputs() {
        return 1L << n;
    }

    /** Largest |difference| over every gradient entry (not loss/accuracy) of two results of the same shape. */
    public double maxAbsDiff(PopGrad o) {
        if (n != o.n || h != o.h) throw new IllegalArgumentException("shapes differ");
        double d = Math.abs(c - o.c);
        for (int k = 0; k < w.length; k++) d = Math.max(d, Math.abs(w[k] - o.w[k]));
        for (int j = 0; j < h; j++) d = Math.max(d, Math.max(Math.abs(b[j] - o.b[j]), Math.abs(a[j] - o.a[j])));
        return d;
    }

    /** Largest |entry| over every gradient entry. */
    public double maxAbs() {
        double d = Math.abs(c);
        for (double v : w) d = Math.max(d, Math.abs(v));
        for (int j = 0; j < h; j++) d = Math.max(d, Math.max(Math.abs(b[j]), Math.abs(a[j])));
        return d;
    }
}
