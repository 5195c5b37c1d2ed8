package bitsgd.harness.sweep;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs done / total with a rate and ETA: a redrawn bar (me.tongfei:progressbar) on a terminal,
 * else one plain line at most every 5 s and at the end (logs, Slurm output files, pipes).
 */
abstract class Progress implements AutoCloseable {
    abstract void done();

    @Override
    public abstract void close();

    static Progress create(SweepRunner.ProgressMode mode, PrintWriter log, int total, int already) {
        SweepRunner.ProgressMode m = mode;
        if (m == SweepRunner.ProgressMode.AUTO) {
            var c = System.console();
            m = c != null && c.isTerminal() ? SweepRunner.ProgressMode.BAR : SweepRunner.ProgressMode.LINES;
        }
        return switch (m) {
            case BAR -> new Bar(total, already);
            case LINES -> new Lines(log, total, already);
            default -> new Progress() {
                @Override
                void done() {}

                @Override
                public void close() {}
            };
        };
    }

    /** The bar goes to stdout: the launcher pipes stderr through a line filter, which would hold back a redrawn line. */
    private static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(int total, int already) {
            bar = new ProgressBarBuilder().setTaskName("runs").setInitialMax(total).startsFrom(already, Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.out, true))).build();
        }

        @Override
        void done() {
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
        synchronized void done() {
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
                    already + done, total, done, rate, fmt(s), left == 0 ? "0s" : fmt(left / rate)));
            log.flush();
        }

        @Override
        public void close() {}

        private static String fmt(double s) {
            if (!Double.isFinite(s)) return "?";
            long t = Math.round(s);
            return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t / 60 % 60)
                    : t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
        }
    }
}
