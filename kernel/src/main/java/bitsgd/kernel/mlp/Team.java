package bitsgd.kernel.mlp;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The caller and {@code size − 1} worker threads running the parts 0..size−1 of one task, again and again, with a
 * few hundred nanoseconds of hand-off: a step of a wide net is tens of microseconds and has two such rounds, so a
 * thread pool's microseconds per task would eat the gain.
 *
 * <p>Every thread, the caller included, claims the next part not yet taken until none is left, so a round never
 * waits for a worker that the OS has not scheduled (a busy machine): the caller then runs every part itself, as on
 * one thread. A part is a fixed piece of work with its own scratch, so which thread runs it changes no result.
 * Workers spin while rounds come quickly and park after {@link #SPIN_NANOS} without one (an evaluation, the end of
 * a run), so an idle team costs no CPU. {@link #run} rethrows the first failure of any part. Workers are daemons and
 * end once the team's owner is unreachable, or on {@link #close}.
 */
final class Team implements AutoCloseable {
    /** How long an idle worker spins before it parks: longer than the gap between two steps, far shorter than an evaluation. */
    static final long SPIN_NANOS = 200_000;
    /** How long a waiting thread spins before it also yields its core: a few rounds' hand-off. */
    static final long YIELD_NANOS = 20_000;
    /**
     * A step is split over at most one thread per this many column blocks (256 units at 16 lanes): a step of fewer
     * takes a few µs, and its hand-offs of 0.2–0.8 µs each outweigh half of it (StepBench (20,3,100,32): 3.8 µs on
     * one thread, 13.6 µs split in two).
     */
    static final int MIN_BLOCKS_PER_PART = 16;
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "bitsgd-team-cleaner");
        t.setDaemon(true);
        return t;
    });

    /** Parts a step of width h on {@code lanes}-float blocks is split into when {@code threads} are offered. */
    static int parts(int h, int lanes, int threads) {
        return parts(h, lanes, threads, MIN_BLOCKS_PER_PART);
    }

    /** As above with a given minimum of blocks per part (tests split narrow nets with 1). */
    static int parts(int h, int lanes, int threads, int minBlocksPerPart) {
        int blocks = (h + lanes - 1) / lanes;
        return Math.max(1, Math.min(threads, blocks / minBlocksPerPart));
    }

    /** One round: its tasks, the next part to claim, the next part whose in-order task may run, the parts finished, its first failure. */
    private static final class Round {
        final IntConsumer task, inOrder;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        volatile int turn;
        volatile Throwable failure;

        Round(IntConsumer task, IntConsumer inOrder) {
            this.task = task;
            this.inOrder = inOrder;
        }

        /**
         * Claims and runs parts until none is left. Parts are claimed in increasing order, so the part whose turn this
         * one waits for is already claimed and ends its own wait first: the waits cannot form a cycle.
         */
        void work(int size) {
            for (int p; (p = next.getAndIncrement()) < size; ) {
                attempt(task, p);
                if (inOrder != null) {
                    awaitTurn(p);
                    if (failure == null) attempt(inOrder, p);
                    turn = p + 1; // also after a failure, so the later parts end
                }
                done.incrementAndGet();
            }
        }

        private void attempt(IntConsumer t, int p) {
            try {
                t.accept(p);
            } catch (Throwable e) {
                if (failure == null) failure = e;
            }
        }

        private void awaitTurn(int p) {
            long start = 0;
            for (int spins = 0; turn != p; spins++) {
                Thread.onSpinWait();
                if ((spins & 63) == 63) start = politely(start);
            }
        }
    }

    /** Called every few dozen spins of a wait: yields the core once the wait is longer than {@link #YIELD_NANOS}; returns its start. */
    private static long politely(long start) {
        long now = System.nanoTime();
        if (start == 0) return now;
        // a busy machine: the thread this one waits for may be waiting for a core
        if (now - start > YIELD_NANOS) Thread.yield();
        return start;
    }

    /** The workers' shared state: never refers to the team's owner, so the owner can become unreachable. */
    private static final class Core implements Runnable {
        final int size;
        final Thread[] workers;
        final boolean[] parked;
        volatile Round round;
        volatile boolean closed;

        Core(int size) {
            this.size = size;
            this.workers = new Thread[size];
            this.parked = new boolean[size];
        }

        /** Closes the team: wakes every worker so it sees {@code closed} and ends. */
        @Override
        public void run() {
            closed = true;
            for (int w = 1; w < size; w++) LockSupport.unpark(workers[w]);
        }

        void work(int worker) {
            Round seen = null;
            while (!closed) {
                Round r = round;
                if (r != seen) {
                    seen = r;
                    if (r != null) r.work(size);
                } else {
                    idle(worker, seen);
                }
            }
        }

        /** Spins for a new round, then parks; a new round or {@link #run()} wakes it. */
        private void idle(int worker, Round seen) {
            long start = System.nanoTime();
            while (round == seen && !closed) {
                for (int i = 0; i < 64 && round == seen; i++) Thread.onSpinWait();
                long idle = System.nanoTime() - start;
                // a busy machine: the thread this one waits for may be waiting for a core, so offer this one
                if (idle > YIELD_NANOS) Thread.yield();
                if (idle > SPIN_NANOS) {
                    setParked(worker, true);
                    // re-check after announcing: the caller either sees the flag or this worker sees its round
                    while (round == seen && !closed) LockSupport.park(this);
                    setParked(worker, false);
                    return;
                }
            }
        }

        private void setParked(int worker, boolean value) {
            synchronized (parked) {
                parked[worker] = value;
            }
        }

        void wake() {
            synchronized (parked) {
                for (int w = 1; w < size; w++) if (parked[w]) LockSupport.unpark(workers[w]);
            }
        }
    }

    private final Core core;
    private final Cleaner.Cleanable cleanable;

    /**
     * A team of {@code size} parts for {@code owner}: the caller and {@code size − 1} new daemon threads, which end
     * once the owner is unreachable (they never hold it) or on {@link #close}.
     */
    Team(int size, Object owner) {
        if (size < 2) throw new IllegalArgumentException("a team needs at least 2 threads, got " + size);
        Core c = new Core(size);
        for (int w = 1; w < size; w++) {
            final int worker = w;
            Thread t = new Thread(() -> c.work(worker), "bitsgd-step-" + w);
            t.setDaemon(true);
            c.workers[w] = t;
        }
        for (int w = 1; w < size; w++) c.workers[w].start();
        this.core = c;
        this.cleanable = CLEANER.register(owner, c);
    }

    /** Workers of this team still running (for tests). */
    int workersAlive() {
        int alive = 0;
        for (int w = 1; w < core.size; w++) if (core.workers[w].isAlive()) alive++;
        return alive;
    }

    /** Runs {@code task.accept(p)} once for every p = 0..size−1, on this thread and the workers; returns when all are done. */
    void run(IntConsumer task) {
        run(task, null);
    }

    /**
     * As {@link #run(IntConsumer)}, and after part p's task {@code inOrder.accept(p)}, strictly in the order p = 0, 1, …:
     * part p's in-order task starts once part p−1's has ended, so it may continue what part p−1's left (a sum whose
     * order must not depend on the number of parts), while the tasks themselves run at once.
     */
    void run(IntConsumer task, IntConsumer inOrder) {
        Core c = core;
        if (c.closed) throw new IllegalStateException("team is closed");
        Round r = new Round(task, inOrder);
        c.round = r;
        c.wake();
        r.work(c.size);
        // parts claimed by workers and still running: wait, politely if one of them was descheduled
        long start = 0;
        for (int spins = 0; r.done.get() < c.size; spins++) {
            Thread.onSpinWait();
            if ((spins & 63) == 63) start = politely(start);
        }
        Throwable t = r.failure;
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
