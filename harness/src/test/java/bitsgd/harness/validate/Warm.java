package bitsgd.harness.validate;

import bitsgd.kernel.Kernels;

/** The validate command's warm-up, once per test JVM: the checks of every test class then compare C2-compiled vector code. */
final class Warm {
    private static boolean done;

    private Warm() {}

    static synchronized void once() {
        if (done || !Kernels.vectorAvailable()) return;
        Validation.warmUp(Validation.Implementations.shipped());
        done = true;
    }
}
