package bitsgd.kernel.attn;

/**
 * e^x in float from multiplies, adds and fmas only, for the softmax: {@link Math#exp} and the Vector API's lanewise
 * exp are not guaranteed to give the same bits in every JIT tier (the Vector API's is a Java fallback until C2 swaps
 * in its own), and a run's bits then depend on when C2 compiled. Every step here is one IEEE operation, so the
 * reference and {@code VectorAttentionKernels} (the same steps on lanes) agree bit for bit in every tier.
 *
 * <pre>
 * x clamped to [−87, 88] (e^−87 ≈ 1.6e−38 is the smallest normal's order; the softmax's x = s − max ≤ 0)
 * k = round(x · log2 e)          by adding and subtracting 1.5·2^23 (round to nearest even)
 * r = x − k·ln2                   two fmas, ln2 split in a 16-bit head (k·head exact) and a tail: |r| ≤ ln2/2
 * e^r ≈ 1 + r + r²/2! + … + r⁷/7!  Horner with fmas; the first dropped term r⁸/8! ≤ 5e−9
 * e^x = e^r · 2^k                2^k built from its exponent bits: (k + 127) << 23
 * </pre>
 * Relative error within 2·10⁻⁷ of e^x on [−87, 88] (ExpTest).
 */
final class Exp {
    private Exp() {}

    static final float MIN = -87f, MAX = 88f;
    static final float LOG2E = 1.44269504f, ROUND = 12582912f;
    static final float LN2_HI = 0.693145751953125f, LN2_LO = 1.42860677e-6f;
    static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    static float exp(float x) {
        x = Math.min(Math.max(x, MIN), MAX);
        float k = x * LOG2E + ROUND - ROUND;
        float r = Math.fma(-k, LN2_HI, x);
        r = Math.fma(-k, LN2_LO, r);
        float p = Math.fma(C7, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        return p * Float.intBitsToFloat(((int) k + 127) << 23);
    }
}
