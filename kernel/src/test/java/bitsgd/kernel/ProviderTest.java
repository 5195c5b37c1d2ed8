package bitsgd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.kernel.mlp.HandoverMlpKernels;
import bitsgd.kernel.mlp.ScalarMlpKernels;
import bitsgd.kernel.mlp.VectorMlpKernels;
import org.junit.jupiter.api.Test;

class ProviderTest {

    @Test
    void ciRequiresVector() {
        // CI runs with -Dbitsgd.requireVector=true: a silent fallback to scalar must fail the build
        if (Boolean.getBoolean("bitsgd.requireVector")) {
            assertTrue(Kernels.vectorAvailable(), "vector kernels required but unavailable: " + Kernels.vectorUnavailableReason());
            assertInstanceOf(HandoverMlpKernels.class, Kernels.mlp(), "provider chose " + Kernels.selection());
            assertTrue(Kernels.mlp().name().startsWith("vector-"));
        }
    }

    @Test
    void autoChoiceFollowsAvailability() {
        String forced = System.getProperty(Kernels.KERNELS_PROPERTY, "auto");
        if (!forced.equals("auto")) return;
        if (Kernels.vectorAvailable()) {
            assertEquals(null, Kernels.vectorUnavailableReason());
            // runs see the vector kernels' bits through the twin hand-over; the name is the vector kernels'
            assertInstanceOf(HandoverMlpKernels.class, Kernels.mlp());
            assertEquals("vector-" + (VectorMlpKernels.lanes() * 32), Kernels.mlp().name());
            assertEquals(Kernels.vectorMlp().name(), Kernels.mlp().name());
            assertEquals(VectorMlpKernels.lanes(), Kernels.twinMlp().lanes());
            assertTrue(Kernels.selection().startsWith("vector-"), Kernels.selection());
        } else {
            assertNotNull(Kernels.vectorUnavailableReason());
            assertSame(ScalarMlpKernels.INSTANCE, Kernels.mlp());
            assertTrue(Kernels.selection().contains("fallback"));
            assertThrows(IllegalStateException.class, Kernels::vectorMlp);
        }
    }

    @Test
    void lookupByName() {
        assertSame(ScalarMlpKernels.INSTANCE, Kernels.mlp("scalar"));
        assertSame(ScalarMlpKernels.INSTANCE, Kernels.mlp(" Scalar "));
        assertEquals("scalar", Kernels.mlp("scalar").name());
        assertSame(Kernels.mlp(), Kernels.mlp("auto"));
        if (Kernels.vectorAvailable()) {
            assertSame(Kernels.vectorMlp(), Kernels.mlp("vector"));
            assertSame(Kernels.twinMlp(), Kernels.mlp("twin"));
            assertSame(Kernels.mlp(), Kernels.runMlp("vector"));
        }
        assertSame(ScalarMlpKernels.INSTANCE, Kernels.runMlp("scalar"));
        assertThrows(IllegalArgumentException.class, () -> Kernels.mlp("gpu"));
    }

    @Test
    void forcingScalarInASubprocess() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(null);
        if (java == null) return;
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-Dbitsgd.kernels=scalar",
                "-cp", System.getProperty("java.class.path"), PrintSelection.class.getName());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("SELECTED scalar"), out);
    }

    /** Without the incubator module the provider falls back to scalar and says why (it used to throw NoClassDefFoundError). */
    @Test
    void withoutTheVectorModuleInASubprocess() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(null);
        if (java == null) return;
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), PrintSelection.class.getName());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("SELECTED scalar"), out);
        assertTrue(out.contains("AVAILABLE false") && out.contains("jdk.incubator.vector is not loaded"), out);
    }

    /** Entry point of the sub-process: prints the kernels the provider chose. */
    public static final class PrintSelection {
        public static void main(String[] args) {
            System.out.println("SELECTED " + Kernels.mlp().name());
            System.out.println("AVAILABLE " + Kernels.vectorAvailable() + " " + Kernels.selection());
        }
    }
}
