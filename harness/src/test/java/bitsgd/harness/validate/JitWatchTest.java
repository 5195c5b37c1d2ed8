package bitsgd.harness.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The warm-up's reading of the JIT's reports: what counts as hot, and what as C2-compiled. */
class JitWatchTest {
    static final String A = "k.Vector::a()V", B = "k.Vector::b()V", C = "k.Vector$Inner::c()V";

    @Test
    void onlyWatchedClassesAndTheirNestedClassesHaveKeys() {
        JitWatch.Log log = new JitWatch.Log("k.Vector");
        assertEquals(A, log.key("k.Vector", "a", "()V"));
        assertEquals(C, log.key("k.Vector$Inner", "c", "()V"));
        assertNull(log.key("k.Scalar", "a", "()V"));
    }

    @Test
    void aC1CompileMakesAMethodHotAndOnlyATier4CompileClearsIt() {
        JitWatch.Log log = new JitWatch.Log("k.Vector");
        log.compiled(A, 3, false, 1);
        log.compiled(B, 2, false, 2);
        log.compiled(C, 1, false, 3); // tier 1 is final (trivial methods): never waited for
        assertEquals(Set.of(A, B), log.notC2());
        log.compiled(A, 4, true, 4); // OSR: the next call still enters the C1 code
        assertEquals(Set.of(A, B), log.notC2());
        log.compiled(A, 4, false, 5);
        assertEquals(Set.of(B), log.notC2());
        assertEquals(1, log.c2Count());
    }

    @Test
    void inliningIntoATier4CompileCountsInEitherOrderOfTheReports() {
        JitWatch.Log log = new JitWatch.Log("k.Vector");
        log.compiled(A, 3, false, 1);
        log.compiled(B, 3, false, 2);
        log.compiled(C, 3, false, 3);
        log.inlined(A, 10);
        log.compiled(null, 4, false, 10); // a caller outside the watched classes: still C2 code for A
        log.compiled(null, 4, false, 11);
        log.inlined(B, 11); // reported after its compile
        log.inlined(C, 12);
        log.compiled(null, 3, false, 12); // inlined by C1 only: not C2 code
        log.inlined(C, 13);
        log.compiled(null, 4, true, 13); // inlined into an OSR compile only
        assertEquals(Set.of(C), log.notC2());
    }
}
