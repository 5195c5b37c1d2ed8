package bitsgd.harness.sweep;

import bitsgd.harness.io.Json;
import bitsgd.harness.io.ProgressMode;
import java.io.PrintStream;
import bitsgd.harness.io.Fmt;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs done / total with a rate and ETA, on stderr: a redrawn bar (me.tongfei:progressbar) on a terminal, else one
 * plain line at most every 5 s and at the end (logs, Slurm output files, pipes), or one JSON line per finished run.
 */
abstract class Progress implements AutoCloseable {
    /** One run finished: its record, or null when it failed. */
    abstract void done(Map<String, Object> record);

    @Override
    public abstract void close();

    static Progress create(ProgressMode mode, PrintWriter log, int total, int already) {
        return switch (mode.resolved()) {
            case BAR -> new Bar(total, already);
            case LINES -> new Lines(log, total, already);
            case JSONL -> new JsonLines(log, total, already);
            default -> new Progress() {
                @Override
                void done(Map<String, Object> record) {}

                @Override
                public void close() {}
            };
        };
    }

    private static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(int total, int already) {
            bar = new ProgressBarBuilder().setTaskName("runs").setInitialMax(total).startsFrom(already, Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true))).build();
        }

        @Override
        void done(Map<String, Object> record) {
            bar.step();
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    private static final class Lines extends Progress {
        private final PrintWriter log;
        private final int total, already;
        private final long start = System.nanoTime();
        private int done;
        private long lastPrint = System.nanoTime();

        Lines(PrintWriter log, int total, int already) {
            this.log = log;
            this.total = total;
            this.already = already;
        }

        @Override
        synchronized void done(Map<String, Object> record) {
            done++;
            long now = System.nanoTime();
            if (now - lastPrint > 5_000_000_000L || already + done == total) {
                lastPrint = now;
                print(now);
            }
        }

        private void print(long now) {
            double s = (now - start) * 1e-9;
            double rate = done / s;
            int left = total - already - done;
            log.println(String.format(Locale.ROOT, "sweep: %d/%d runs done (%d this session, %.2f runs/s), elapsed %s, ETA %s",
                    already + done, total, done, rate, Fmt.duration(s), left == 0 ? "0s" : Fmt.duration(left / rate)));
            log.flush();
        }

        @Override
        public void close() {}
    }

    /** {"done": 7, "total": 50, "config_index": 1, "seed": 3, "solved": true, "t_c": 2400, "wall_seconds": 0.41} per run. */
    private static final class JsonLines extends Progress {
        private final PrintWriter log;
        private final int total;
        private int done;

        JsonLines(PrintWriter log, int total, int already) {
            this.log = log;
            this.total = total;
            this.done = already;
        }

        @Override
        synchronized void done(Map<String, Object> record) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("done", ++done);
            m.put("total", total);
            if (record == null) {
                m.put("failed", true);
            } else {
                for (String key : new String[] {"config_index", "seed", "solved", "diverged", "t_c", "steps", "wall_seconds"}) {
                    m.put(key, record.get(key));
                }
            }
            log.println(Json.line(m));
            log.flush();
        }

        @Override
        public void close() {}
    }
}
