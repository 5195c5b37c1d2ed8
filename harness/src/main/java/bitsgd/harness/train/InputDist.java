package bitsgd.harness.train;

import bitsgd.harness.UsageException;
import bitsgd.harness.model.Inputs;
import java.util.random.RandomGenerator;

/**
 * How input vectors are drawn (docs/protocols.md §B table "inputs").
 *
 * <pre>
 *   pm1        x_i uniform ±1, bit-packed (64 coordinates per draw)
 *   biased:P   x_i = (Ber(P) − P)/√(P(1−P)): mean 0, variance 1, +√((1−P)/P) w.p. P, dense floats
 *   gaussian   x_i ~ N(0, 1), dense floats
 * </pre>
 */
public final class InputDist {
    private final String spec;
    private final double p;            // biased: P(Ber = 1); NaN otherwise
    private final boolean gaussian;
    private final float hi, lo;        // biased: the two standardised values

    private InputDist(String spec, double p, boolean gaussian) {
        this.spec = spec;
        this.p = p;
        this.gaussian = gaussian;
        double sd = Math.sqrt(p * (1 - p));
        this.hi = (float) ((1 - p) / sd);
        this.lo = (float) (-p / sd);
    }

    public static InputDist parse(String spec) {
        String s = spec == null ? "pm1" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("pm1")) return new InputDist(s, Double.NaN, false);
        if (s.equals("gaussian")) return new InputDist(s, Double.NaN, true);
        if (s.startsWith("biased:")) {
            double p;
            try {
                p = Double.parseDouble(s.substring(7));
            } catch (NumberFormatException e) {
                throw new UsageException("--inputs biased:P needs a number P in (0,1), got '" + s.substring(7) + "'");
            }
            if (!(p > 0 && p < 1)) throw new UsageException("--inputs biased:P needs P in (0,1), got " + p);
            return new InputDist(s, p, false);
        }
        throw new UsageException("--inputs must be pm1, biased:P or gaussian, got '" + s + "'");
    }

    /** True for uniform ±1 (the bit-packed path). */
    public boolean packed() {
        return Double.isNaN(p) && !gaussian;
    }

    /** A batch of this distribution's storage. */
    public Inputs newInputs(int n, int capacity) {
        return packed() ? Inputs.bits(n, capacity) : Inputs.dense(n, capacity);
    }

    /** Draws the first {@code x.size()} samples. */
    public void fill(Inputs x, RandomGenerator rng) {
        if (packed()) {
            x.bits().fillUniform(rng);
            x.changed();
            return;
        }
        float[] d = x.dense();
        int len = x.size() * x.n();
        if (gaussian) {
            for (int i = 0; i < len; i++) d[i] = (float) rng.nextGaussian();
        } else {
            for (int i = 0; i < len; i++) d[i] = rng.nextDouble() < p ? hi : lo;
        }
    }

    @Override
    public String toString() {
        return spec;
    }
}
