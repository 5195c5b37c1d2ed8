package bitsgd.harness.io;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * What a command says when SIGTERM or SIGINT ends the JVM during its work: exactly one line on stderr naming where it
 * stopped, after every file write in flight has finished or been removed (so the line's count is final and no temp
 * file is left). Registered for the work only: {@link #close()} when the work ends on its own, so that a later exit
 * is not reported as a signal's. kill -9 cannot be caught; atomic writes and resume cover it.
 */
public final class OnSignal implements AutoCloseable {
    private final Thread hook;
    private volatile boolean fired;

    private OnSignal(PrintWriter err, Supplier<String> line) {
        this.hook = new Thread(() -> {
            fired = true;
            AtomicFiles.stopWrites();
            String said = line.get();   // may close a progress bar first, or remove a directory it made
            err.println(said);
            err.flush();
        }, "bitsgd-signal");
    }

    /**
     * From now until {@link #close()}, a signal prints {@code line.get()} (a whole {@code bitsgd: ...} line) on
     * {@code err}; the supplier runs once, on the JVM's shutdown, after the writes in flight are settled.
     */
    public static OnSignal say(PrintWriter err, Supplier<String> line) {
        OnSignal s = new OnSignal(err, line);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** True once a signal is ending the JVM: the work's threads still run meanwhile and must not report anything more. */
    public boolean fired() {
        return fired;
    }

    /**
     * Called by a thread that would report an outcome after a signal: waits for the JVM to halt, so the signal's line
     * stays the only one (the shutdown halts every thread once its hooks are done).
     */
    public void awaitExit() {
        awaitHalt();
    }

    /** {@link #awaitExit} for a thread without the OnSignal at hand (it saw {@link AtomicFiles#stopping()}). */
    public static void awaitHalt() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // keep waiting: the halt is coming
            }
        }
    }

    /** The work ended (or failed) on its own: a later exit is not a signal's. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // a signal came first: its hook is already running
        }
    }
}
