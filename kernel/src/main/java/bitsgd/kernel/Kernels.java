package bitsgd.kernel;

import bitsgd.kernel.attn.AttentionKernels;
import bitsgd.kernel.attn.ScalarAttentionKernels;
import bitsgd.kernel.attn.VectorAttentionKernels;
import bitsgd.kernel.dense.DenseKernels;
import bitsgd.kernel.dense.ScalarDenseKernels;
import bitsgd.kernel.dense.VectorDenseKernels;
import bitsgd.kernel.mlp.HandoverMlpKernels;
import bitsgd.kernel.mlp.MlpKernels;
import bitsgd.kernel.mlp.ScalarMlpKernels;
import bitsgd.kernel.mlp.TwinMlpKernels;
import bitsgd.kernel.mlp.VectorMlpKernels;
import bitsgd.kernel.optim.OptimKernels;
import bitsgd.kernel.optim.ScalarOptimKernels;
import bitsgd.kernel.optim.VectorOptimKernels;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import jdk.incubator.vector.VectorShape;

/**
 * The provider: picks the scalar references or the Vector API twins once, at class init, and says why; one decision
 * for every family (MLP, dense layers, attention).
 *
 * <p>System properties (read once):
 * <ul>
 *   <li>{@code bitsgd.kernels=auto|scalar|vector} (default auto). {@code vector} fails hard when the
 *       vector kernels cannot run, so an A/B run never measures the wrong thing.</li>
 *   <li>{@code bitsgd.vectorBits=128|256|512} forces the vector width (default: the CPU's preferred).</li>
 * </ul>
 * Auto falls back to scalar with a WARNING when the {@code jdk.incubator.vector} module is missing,
 * when there is no C2 compiler (vector code would run as slow Java objects), or when the preferred
 * vector width is below 128 bits. The choice itself is logged at DEBUG (it is also in every run's record).
 *
 * <p>The decision touches no vector class: it reads the vector shape only. The Vector API kernels are made on
 * first use ({@link VectorHolder}), because initialising them costs ~100 ms of a cold start, and a run starts on
 * their {@link TwinMlpKernels twin} anyway.
 */
public final class Kernels {
    public static final String KERNELS_PROPERTY = "bitsgd.kernels";
    public static final String VECTOR_BITS_PROPERTY = "bitsgd.vectorBits";

    private static final String VECTOR_UNAVAILABLE;
    /** Float lanes of the vector species (0 when the vector kernels cannot run). */
    private static final int LANES;
    /** The one start-up decision, shared by every kernel family: vector twins (true) or scalar references. */
    private static final boolean USE_VECTOR;
    /** The vector kernels' algorithm in plain Java (same bits), and the two behind one hand-over: what runs train. */
    private static final TwinMlpKernels TWIN_MLP;
    private static final HandoverMlpKernels HANDOVER_MLP;
    private static final MlpKernels MLP;
    private static final String SELECTION;

    static {
        String why = vectorUnavailableReason();
        VECTOR_UNAVAILABLE = why;
        LANES = why == null ? vectorBits() / 32 : 0;
        // VectorShape only when the module is there: without it the class is missing and the fallback must not throw
        String described = why != null ? "" : LANES * 32 + "-bit, " + LANES + " float lanes, max "
                + VectorShape.preferredShape().vectorBitSize() + "-bit, 4-bit lookup tables";
        String vectorName = "vector-" + LANES * 32;

        String wanted = System.getProperty(KERNELS_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "scalar" -> {
                USE_VECTOR = false;
                SELECTION = "scalar (forced by -D" + KERNELS_PROPERTY + "=scalar)";
            }
            case "vector" -> {
                if (why != null) {
                    throw new IllegalStateException("-D" + KERNELS_PROPERTY + "=vector, but the vector kernels cannot run: " + why);
                }
                USE_VECTOR = true;
                SELECTION = vectorName + " (forced by -D" + KERNELS_PROPERTY + "=vector; " + described + ")";
            }
            case "auto", "" -> {
                USE_VECTOR = why == null;
                SELECTION = USE_VECTOR ? vectorName + " (" + described + ")" : "scalar (fallback: " + why + ")";
                if (!USE_VECTOR) System.getLogger("bitsgd.kernels").log(System.Logger.Level.WARNING, "bitsgd kernels: FALLING BACK TO SCALAR: " + why);
            }
            default -> throw new IllegalArgumentException(
                    "-D" + KERNELS_PROPERTY + " must be auto, scalar or vector, got '" + wanted + "'");
        }
        TWIN_MLP = why == null ? new TwinMlpKernels(LANES) : null;
        HANDOVER_MLP = why == null ? new HandoverMlpKernels(TWIN_MLP) : null;
        MLP = USE_VECTOR ? HANDOVER_MLP : ScalarMlpKernels.INSTANCE;
        if (Boolean.getBoolean("bitsgd.debug")) {
            System.getLogger("bitsgd.kernels").log(System.Logger.Level.INFO, "bitsgd kernels: " + SELECTION);
        }
    }

    /** The Vector API kernels, made on first use; only reached when they can run. */
    private static final class VectorHolder {
        static final VectorMlpKernels MLP = VectorMlpKernels.create();
        static final DenseKernels DENSE = VectorDenseKernels.create();
        static final OptimKernels OPTIM = VectorOptimKernels.create();
        static final AttentionKernels ATTENTION = VectorAttentionKernels.create();
    }

    private Kernels() {}

    /** The MLP kernels chosen at start-up (the vector ones behind their twin hand-over, see {@link HandoverMlpKernels}). */
    public static MlpKernels mlp() {
        return MLP;
    }

    /** The scalar reference, always available. */
    public static MlpKernels scalarMlp() {
        return ScalarMlpKernels.INSTANCE;
    }

    /** The Vector API kernels alone (benchmarks, validation), or an exception that says why they cannot run here. */
    public static VectorMlpKernels vectorMlp() {
        if (VECTOR_UNAVAILABLE != null) throw new IllegalStateException("vector kernels unavailable: " + VECTOR_UNAVAILABLE);
        return VectorHolder.MLP;
    }

    /** The twin of the vector kernels (plain Java, same bits), or an exception that says why there is none. */
    public static TwinMlpKernels twinMlp() {
        if (TWIN_MLP == null) throw new IllegalStateException("vector kernels unavailable: " + VECTOR_UNAVAILABLE);
        return TWIN_MLP;
    }

    /**
     * Implementations by name, for benchmarks and checks: {@code scalar}, {@code vector} (the Vector API code alone),
     * {@code twin}, or {@code auto} (the start-up choice).
     */
    public static MlpKernels mlp(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "scalar" -> ScalarMlpKernels.INSTANCE;
            case "vector" -> vectorMlp();
            case "twin" -> twinMlp();
            case "auto" -> MLP;
            default -> throw new IllegalArgumentException("kernels must be auto, scalar, vector or twin, got '" + name + "'");
        };
    }

    /**
     * The kernels a training run uses for {@code --kernels scalar|vector|auto}: vector means the vector kernels' bits,
     * computed by their twin until the Vector API code is compiled ({@link HandoverMlpKernels}).
     */
    public static MlpKernels runMlp(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "scalar" -> ScalarMlpKernels.INSTANCE;
            case "vector" -> {
                if (HANDOVER_MLP == null) throw new IllegalStateException("vector kernels unavailable: " + VECTOR_UNAVAILABLE);
                yield HANDOVER_MLP;
            }
            case "auto" -> MLP;
            default -> throw new IllegalArgumentException("kernels must be auto, scalar or vector, got '" + name + "'");
        };
    }

    /** Many runs still to come in this process (a long sweep): the vector kernels run their Vector API code from now on. */
    public static void vectorFromStart() {
        if (HANDOVER_MLP != null) HANDOVER_MLP.vectorFromStart();
    }

    /** The dense-layer kernels chosen at start-up (the same decision as {@link #mlp()}). */
    public static DenseKernels dense() {
        return USE_VECTOR ? VectorHolder.DENSE : ScalarDenseKernels.INSTANCE;
    }

    /** The scalar dense reference, always available. */
    public static DenseKernels scalarDense() {
        return ScalarDenseKernels.INSTANCE;
    }

    /** The vector dense kernels, or an exception that says why they cannot run here. */
    public static DenseKernels vectorDense() {
        if (VECTOR_UNAVAILABLE != null) throw new IllegalStateException("vector kernels unavailable: " + VECTOR_UNAVAILABLE);
        return VectorHolder.DENSE;
    }

    /** Dense kernels by name: {@code scalar}, {@code vector}, or {@code auto} (the start-up choice). */
    public static DenseKernels dense(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "scalar" -> ScalarDenseKernels.INSTANCE;
            case "vector" -> vectorDense();
            case "auto" -> dense();
            default -> throw new IllegalArgumentException("kernels must be auto, scalar or vector, got '" + name + "'");
        };
    }

    /** The optimizer-update kernels chosen at start-up (the same decision as {@link #mlp()}). */
    public static OptimKernels optim() {
        return USE_VECTOR ? VectorHolder.OPTIM : ScalarOptimKernels.INSTANCE;
    }

    /** Optimizer-update kernels by name: {@code scalar}, {@code vector}, or {@code auto} (the start-up choice). */
    public static OptimKernels optim(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "scalar" -> ScalarOptimKernels.INSTANCE;
            case "vector" -> {
                if (VECTOR_UNAVAILABLE != null) throw new IllegalStateException("vector kernels unavailable: " + VECTOR_UNAVAILABLE);
                yield VectorHolder.OPTIM;
            }
            case "auto" -> optim();
            default -> throw new IllegalArgumentException("kernels must be auto, scalar or vector, got '" + name + "'");
        };
    }

    /** The Transformer's kernels (linear layers, softmax attention) chosen at start-up (the same decision as {@link #mlp()}). */
    public static AttentionKernels attention() {
        return USE_VECTOR ? VectorHolder.ATTENTION : ScalarAttentionKernels.INSTANCE;
    }

    /** Attention kernels by name: {@code scalar}, {@code vector}, or {@code auto} (the start-up choice). */
    public static AttentionKernels attention(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "scalar" -> ScalarAttentionKernels.INSTANCE;
            case "vector" -> {
                if (VECTOR_UNAVAILABLE != null) throw new IllegalStateException("vector kernels unavailable: " + VECTOR_UNAVAILABLE);
                yield VectorHolder.ATTENTION;
            }
            case "auto" -> attention();
            default -> throw new IllegalArgumentException("kernels must be auto, scalar or vector, got '" + name + "'");
        };
    }

    /** True when the vector kernels can run on this JVM. */
    public static boolean vectorAvailable() {
        return VECTOR_UNAVAILABLE == null;
    }

    /** Why the vector kernels cannot run, or null when they can. */
    public static String vectorUnavailableReason() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "module jdk.incubator.vector is not loaded (run java with --add-modules=jdk.incubator.vector)";
        }
        String noC2 = noC2Reason();
        if (noC2 != null) return noC2;
        int max = VectorShape.preferredShape().vectorBitSize(), bits = vectorBits();
        if (max < 128) return "preferred vector width is " + max + " bits (< 128): no useful SIMD";
        if (bits < 128) return "vector width " + bits + " bits is below 128";
        if (bits > max) return "vector width " + bits + " bits forced, but this CPU supports at most " + max;
        return null;
    }

    /** The vector width in use: -Dbitsgd.vectorBits, else the CPU's preferred (the same choice as VectorMlpKernels' species). */
    public static int vectorBits() {
        String bits = System.getProperty(VECTOR_BITS_PROPERTY);
        if (bits == null || bits.isBlank()) return VectorShape.preferredShape().vectorBitSize();
        try {
            return VectorShape.forBitSize(Integer.parseInt(bits.trim())).vectorBitSize();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + VECTOR_BITS_PROPERTY + " must be 64, 128, 256 or 512, got '" + bits + "'");
        }
    }

    /** One line: what was selected and why. */
    public static String selection() {
        return SELECTION;
    }

    private static String noC2Reason() {
        String vmName = System.getProperty("java.vm.name", "");
        if (vmName.contains("Client")) return "client VM (" + vmName + "): no C2 compiler";
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) return "interpreter only (-Xint): no C2 compiler";
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hotspot == null) return null;
            boolean tiered = "true".equals(hotspot.getVMOption("TieredCompilation").getValue());
            int stopAt = Integer.parseInt(hotspot.getVMOption("TieredStopAtLevel").getValue());
            if (tiered && stopAt < 4) return "-XX:TieredStopAtLevel=" + stopAt + ": no C2 compiler";
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot, or the option is unknown: assume a C2-class JIT, as Lucene does
        }
        return null;
    }
}
