package bitsgd.harness.validate;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordingStream;

/**
 * Which methods of some classes C2 has compiled, from the JIT's own reports (JFR's {@code jdk.Compilation} and
 * {@code jdk.CompilerInlining} events, streamed in this process): the warm-up's evidence that the checks run the code
 * a long run executes. The events are read into a {@link Log}.
 */
final class JitWatch implements AutoCloseable {
    private final Log log;
    private final RecordingStream stream;
    private final Object flushLock = new Object();
    private long flushes;

    /**
     * Starts watching the methods of classes whose binary names start with one of {@code classPrefixes} (nested classes
     * included); throws when this JVM has no Flight Recorder.
     */
    JitWatch(String... classPrefixes) {
        log = new Log(classPrefixes);
        stream = new RecordingStream();
        stream.enable("jdk.Compilation").withThreshold(Duration.ZERO); // the default threshold hides compiles under 1 s
        stream.enable("jdk.CompilerInlining");
        stream.onEvent("jdk.Compilation", e -> {
            RecordedMethod m = e.getValue("method");
            if (m == null || !e.getBoolean("succeded")) return; // sic: the event's field name
            log.compiled(log.key(m.getType().getName(), m.getName(), m.getDescriptor()), e.getInt("compileLevel"),
                    e.getBoolean("isOsr"), e.getInt("compileId"));
        });
        stream.onEvent("jdk.CompilerInlining", (RecordedEvent e) -> {
            RecordedObject callee = e.getValue("callee");
            if (callee == null || !e.getBoolean("succeeded")) return;
            String key = log.key(callee.getString("type").replace('/', '.'), callee.getString("name"), callee.getString("descriptor"));
            if (key != null) log.inlined(key, e.getInt("compileId"));
        });
        stream.onFlush(() -> {
            synchronized (flushLock) {
                flushes++;
                flushLock.notifyAll();
            }
        });
        stream.startAsync();
    }

    /**
     * Waits until the events of everything compiled so far have arrived (two flushes of the stream, about a second
     * apart), or {@code timeout} passed.
     */
    void sync(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (flushLock) {
            long target = flushes + 2;
            for (long left; flushes < target && (left = end - System.nanoTime()) > 0; ) {
                flushLock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    Set<String> notC2() {
        return log.notC2();
    }

    int c2Count() {
        return log.c2Count();
    }

    @Override
    public void close() {
        stream.close();
    }

    /**
     * The compile reports of watched methods. A method is <em>hot</em> once C1 compiled it with profiling (tier 2 or 3:
     * on its way to C2; tier 1 is final for trivial methods), and <em>C2-compiled</em> once a tier-4 compile of it, or
     * of a caller that inlined it, succeeded (an on-stack replacement alone does not count: the next call would enter
     * the C1 code). Events may come in any order: a compile's inlining decisions are reported before or after it.
     */
    static final class Log {
        private final String[] classPrefixes;
        private final Set<String> hot = ConcurrentHashMap.newKeySet();
        private final Set<String> c2 = ConcurrentHashMap.newKeySet();
        /** Succeeded non-OSR tier-4 compiles, by compile id. */
        private final Set<Integer> c2Compiles = ConcurrentHashMap.newKeySet();
        /** Watched methods inlined by each compile, by compile id. */
        private final Map<Integer, Set<String>> inlined = new ConcurrentHashMap<>();

        Log(String... classPrefixes) {
            this.classPrefixes = classPrefixes.clone();
        }

        /** {@code Type::name(descriptor)} when the method's class is watched, else null. */
        String key(String type, String name, String descriptor) {
            for (String p : classPrefixes) {
                if (type.startsWith(p)) return type + "::" + name + descriptor;
            }
            return null;
        }

        /** A succeeded compile {@code id} of {@code key} (null: a method not watched) at {@code level}. */
        void compiled(String key, int level, boolean osr, int id) {
            if (key != null && (level == 2 || level == 3)) hot.add(key);
            if (level == 4 && !osr) {
                if (key != null) c2.add(key);
                c2Compiles.add(id);
                Set<String> in = inlined.get(id);
                if (in != null) c2.addAll(in);
            }
        }

        /** Compile {@code id} inlined watched method {@code key}. */
        void inlined(String key, int id) {
            inlined.computeIfAbsent(id, i -> ConcurrentHashMap.newKeySet()).add(key);
            if (c2Compiles.contains(id)) c2.add(key);
        }

        /** Hot methods C2 has not compiled (yet), sorted. */
        Set<String> notC2() {
            Set<String> s = new TreeSet<>(hot);
            s.removeAll(c2);
            return s;
        }

        /** Watched methods C2 compiled, or inlined into a compiled caller, so far. */
        int c2Count() {
            return c2.size();
        }
    }
}
