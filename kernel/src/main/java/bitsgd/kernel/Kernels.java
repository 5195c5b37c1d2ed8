package bitsgd.kernel;

import bitsgd.kernel.dense.DenseKernels;
import bitsgd.kernel.dense.ScalarDenseKernels;
import bitsgd.kernel.dense.VectorDenseKernels;
import bitsgd.kernel.mlp.MlpKernels;
import bitsgd.kernel.mlp.ScalarMlpKernels;
import bitsgd.kernel.mlp.VectorMlpKernels;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The provider: picks the scalar reference or the Vector API twin once, at class init, and says why.
 *
 * <p>System properties (read once):
 * <ul>
 *   <li>{@code bitsgd.kernels=auto|scalar|vector} (default auto). {@code vector} fails hard when the
 *       vector kernels cannot run, so an A/B run never measures the wrong thing.</li>
 *   <li>{@code bitsgd.vectorBits=128|256|512} forces the vector width (default: the CPU's preferred).</li>
 * </ul>
 * Auto falls back to scalar with a WARNING when the {@code jdk.incubator.vector} module is missing,
 * when there is no C2 compiler (vector code would run as slow Java objects), or when the preferred
 * vector width is below 128 bits.
 */
public final class Kernels {
    public static final String KERNELS_PROPERTY = "bitsgd.kernels";
    public static final String VECTOR_BITS_PROPERTY = "bitsgd.vectorBits";

    private static final System.Logger LOG = System.getLogger("bitsgd.kernels");

    private static final String VECTOR_UNAVAILABLE;
    private static final MlpKernels VECTOR_MLP;
    private static final DenseKernels VECTOR_DENSE;
    /** The one start-up decision, shared by every kernel family: vector twins (true) or scalar references. */
    private static final boolean USE_VECTOR;
    private static final MlpKernels MLP;
    private static final DenseKernels DENSE;
    private static final String SELECTION;

    static {
        String why = vectorUnavailableReason();
        VECTOR_UNAVAILABLE = why;
        VECTOR_MLP = why == null ? VectorMlpKernels.create() : null;
        VECTOR_DENSE = why == null ? VectorDenseKernels.create() : null;

        String wanted = System.getProperty(KERNELS_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "scalar" -> {
                USE_VECTOR = false;
                SELECTION = "scalar (forced by -D" + KERNELS_PROPERTY + "=scalar)";
                LOG.log(System.Logger.Level.INFO, "bitsgd kernels: " + SELECTION);
            }
            case "vector" -> {
                if (VECTOR_MLP == null) {
                    throw new IllegalStateException("-D" + KERNELS_PROPERTY + "=vector, but the vector kernels cannot run: " + why);
                }
                USE_VECTOR = true;
                SELECTION = VECTOR_MLP.name() + " (forced by -D" + KERNELS_PROPERTY + "=vector; " + VectorMlpKernels.describe() + ")";
                LOG.log(System.Logger.Level.INFO, "bitsgd kernels: " + SELECTION);
            }
            case "auto", "" -> {
                if (VECTOR_MLP != null) {
                    USE_VECTOR = true;
                    SELECTION = VECTOR_MLP.name() + " (" + VectorMlpKernels.describe() + ")";
                    LOG.log(System.Logger.Level.INFO, "bitsgd kernels: " + SELECTION);
                } else {
                    USE_VECTOR = false;
                    SELECTION = "scalar (fallback: " + why + ")";
                    LOG.log(System.Logger.Level.WARNING, "bitsgd kernels: FALLING BACK TO SCALAR: " + why);
                }
            }
            default -> throw new IllegalArgumentException(
                    "-D" + KERNELS_PROPERTY + " must be auto, scalar or vector, got '" + wanted + "'");
        }
        MLP = USE_VECTOR ? VECTOR_MLP : ScalarMlpKernels.INSTANCE;
        DENSE = USE_VECTOR ? VECTOR_DENSE : ScalarDenseKernels.INSTANCE;
    }

    private Kernels() {}

    /** The MLP kernels chosen at start-up. */
    public static MlpKernels mlp() {
        return MLP;
    }

    /** The scalar reference, always available. */
    public static MlpKernels scalarMlp() {
        return ScalarMlpKernels.INSTANCE;
    }

    /** The vector kernels, or an exception that says why they cannot run here. */
    public static MlpKernels vectorMlp() {
        if (VECTOR_MLP == null) throw new IllegalStateException("vector kernels unavailable: " + VECTOR_UNAVAILABLE);
        return VECTOR_MLP;
    }

    /** Looks up kernels by name: {@code scalar}, {@code vector}, or {@code auto} (the start-up choice). */
    public static MlpKernels mlp(String name) {
        return byName(name, ScalarMlpKernels.INSTANCE, VECTOR_MLP, MLP);
    }

    /** The dense-layer kernels chosen at start-up (the same decision as {@link #mlp()}). */
    public static DenseKernels dense() {
        return DENSE;
    }

    /** The scalar dense reference, always available. */
    public static DenseKernels scalarDense() {
        return ScalarDenseKernels.INSTANCE;
    }

    /** The vector dense kernels, or an exception that says why they cannot run here. */
    public static DenseKernels vectorDense() {
        if (VECTOR_DENSE == null) throw new IllegalStateException("vector kernels unavailable: " + VECTOR_UNAVAILABLE);
        return VECTOR_DENSE;
    }

    /** Dense kernels by name: {@code scalar}, {@code vector}, or {@code auto} (the start-up choice). */
    public static DenseKernels dense(String name) {
        return byName(name, ScalarDenseKernels.INSTANCE, VECTOR_DENSE, DENSE);
    }

    /** One name lookup for every family: scalar, vector (or why not), auto = the start-up choice. */
    private static <K> K byName(String name, K scalar, K vector, K chosen) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "scalar" -> scalar;
            case "vector" -> {
                if (vector == null) throw new IllegalStateException("vector kernels unavailable: " + VECTOR_UNAVAILABLE);
                yield vector;
            }
            case "auto" -> chosen;
            default -> throw new IllegalArgumentException("kernels must be auto, scalar or vector, got '" + name + "'");
        };
    }

    /** True when the vector kernels can run on this JVM. */
    public static boolean vectorAvailable() {
        return VECTOR_MLP != null;
    }

    /** Why the vector kernels cannot run, or null when they can. */
    public static String vectorUnavailableReason() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "module jdk.incubator.vector is not loaded (run java with --add-modules=jdk.incubator.vector)";
        }
        String noC2 = noC2Reason();
        if (noC2 != null) return noC2;
        return VectorMlpKernels.unsupportedReason();
    }

    /** One line: what was selected and why. */
    public static String selection() {
        return SELECTION;
    }

    private static String noC2Reason() {
        String vmName = System.getProperty("java.vm.name", "");
        if (vmName.contains("Client")) return "client VM (" + vmName + "): no C2 compiler";
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hotspot == null) return null;
            if ("false".equals(hotspot.getVMOption("UseCompiler").getValue())) return "interpreter only (-Xint): no C2 compiler";
            boolean tiered = "true".equals(hotspot.getVMOption("TieredCompilation").getValue());
            int stopAt = Integer.parseInt(hotspot.getVMOption("TieredStopAtLevel").getValue());
            if (tiered && stopAt < 4) return "-XX:TieredStopAtLevel=" + stopAt + ": no C2 compiler";
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot, or the option is unknown: assume a C2-class JIT, as Lucene does
        }
        return null;
    }
}
