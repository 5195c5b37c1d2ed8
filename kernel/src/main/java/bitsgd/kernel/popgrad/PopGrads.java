package bitsgd.kernel.popgrad;

import bitsgd.kernel.Kernels;
import java.util.Locale;

/**
 * The provider of the population-gradient kernels, chosen once like {@link Kernels}: the same
 * {@code -Dbitsgd.kernels=auto|scalar|vector} and {@code -Dbitsgd.vectorBits}, the same reasons to fall
 * back (the vector twin runs exactly when the MLP vector kernels can).
 */
public final class PopGrads {
    private static final PopGradKernels VECTOR;
    private static final PopGradKernels CHOSEN;
    private static final String SELECTION;

    static {
        VECTOR = Kernels.vectorAvailable() ? VectorPopGradKernels.create() : null;
        String wanted = System.getProperty(Kernels.KERNELS_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "scalar" -> {
                CHOSEN = ScalarPopGradKernels.INSTANCE;
                SELECTION = "scalar (forced by -D" + Kernels.KERNELS_PROPERTY + "=scalar)";
            }
            case "vector" -> {
                if (VECTOR == null) {
                    throw new IllegalStateException("-D" + Kernels.KERNELS_PROPERTY + "=vector, but the vector kernels cannot run: "
                            + Kernels.vectorUnavailableReason());
                }
                CHOSEN = VECTOR;
                SELECTION = VECTOR.name() + " (forced by -D" + Kernels.KERNELS_PROPERTY + "=vector)";
            }
            case "auto", "" -> {
                CHOSEN = VECTOR != null ? VECTOR : ScalarPopGradKernels.INSTANCE;
                SELECTION = VECTOR != null ? VECTOR.name() : "scalar (fallback: " + Kernels.vectorUnavailableReason() + ")";
            }
            default -> throw new IllegalArgumentException(
                    "-D" + Kernels.KERNELS_PROPERTY + " must be auto, scalar or vector, got '" + wanted + "'");
        }
        // same policy as Kernels: a fallback is a WARNING; the choice itself only with -Dbitsgd.debug (it is in every result)
        if (VECTOR == null && !"scalar".equals(wanted)) {
            System.getLogger("bitsgd.kernels").log(System.Logger.Level.WARNING, "bitsgd popgrad kernels: " + SELECTION);
        } else if (Boolean.getBoolean("bitsgd.debug")) {
            System.getLogger("bitsgd.kernels").log(System.Logger.Level.INFO, "bitsgd popgrad kernels: " + SELECTION);
        }
    }

    private PopGrads() {}

    /** The kernels chosen at start-up. */
    public static PopGradKernels get() {
        return CHOSEN;
    }

    public static PopGradKernels scalar() {
        return ScalarPopGradKernels.INSTANCE;
    }

    public static PopGradKernels vector() {
        if (VECTOR == null) throw new IllegalStateException("vector kernels unavailable: " + Kernels.vectorUnavailableReason());
        return VECTOR;
    }

    /** {@code auto} (the start-up choice), {@code scalar} or {@code vector}. */
    public static PopGradKernels byName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "scalar" -> scalar();
            case "vector" -> vector();
            case "auto" -> get();
            default -> throw new IllegalArgumentException("kernels must be auto, scalar or vector, got '" + name + "'");
        };
    }

    public static String selection() {
        return SELECTION;
    }

    /** Largest n the enumeration accepts. */
    public static int maxN() {
        return Enumeration.MAX_N;
    }

    /** Bytes one computation allocates at (n, h): O(2^L·h + n·h), independent of 2^n. */
    public static long bytesNeeded(int n, int h) {
        return Enumeration.bytesNeeded(n, h);
    }

    /** Low block size L used at (n, h). */
    public static int lowBits(int n, int h) {
        return Enumeration.lowBits(n, h);
    }
}
