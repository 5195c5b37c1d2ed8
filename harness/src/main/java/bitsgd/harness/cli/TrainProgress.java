package bitsgd.harness.cli;

import bitsgd.harness.io.Fmt;
import bitsgd.harness.io.Json;
import bitsgd.harness.io.ProgressMode;
import bitsgd.harness.train.CurvePoint;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A single run's progress on stderr, fed one {@link CurvePoint} per convergence check: a bar redrawn in place (drawn
 * by hand, not by the sweep's progress library, whose terminal set-up would cost a cold run), a plain line every 5 s,
 * or one JSON object per check. A run that ends within the first half second shows no bar and no line. Between checks
 * that are far apart (a large n, a long --eval-every) a watcher thread keeps the bar and the lines going from the
 * trainer's step count, so a slow run shows its speed and what is left within seconds.
 */
final class TrainProgress implements Consumer<CurvePoint>, AutoCloseable {
    private static final long BAR_AFTER_NS = 500_000_000L, BAR_EVERY_NS = 100_000_000L, LINE_EVERY_NS = 5_000_000_000L;
    private static final int BAR_WIDTH = 24;

    private final ProgressMode mode;
    private final PrintWriter err;
    private final long maxSteps;
    private final long start = System.nanoTime();
    private long lastDraw = start;
    private boolean barShown;
    private String lastBar = "";
    private long lastStep;
    private String lastQuality;   // "eval accuracy 0.9" of the latest check, or null before the first
    private Thread watcher;
    private boolean closed;

    TrainProgress(ProgressMode mode, PrintWriter err, long maxSteps) {
        this.mode = mode.resolved();
        this.err = err;
        this.maxSteps = maxSteps;
    }

    /** Starts the watcher: once a second it shows {@code steps} when no check has drawn for a while (bar and lines only). */
    void watch(LongSupplier steps) {
        if (mode != ProgressMode.BAR && mode != ProgressMode.LINES) return;
        watcher = Thread.ofPlatform().daemon().name("train-progress").start(() -> {
            try {
                while (true) {
                    Thread.sleep(1000);
                    tick(steps.getAsLong());
                }
            } catch (InterruptedException closed) {
                // the run ended
            }
        });
    }

    @Override
    public synchronized void accept(CurvePoint p) {
        lastStep = p.step();
        lastQuality = Double.isNaN(p.evalMse()) ? "eval accuracy " + Fmt.fixed(p.evalAccuracy(), 4) : "eval MSE " + Fmt.sig(p.evalMse(), 4);
        if (mode == ProgressMode.JSONL) {
            err.println(Json.line(json(p, System.nanoTime())));
            err.flush();
        } else {
            show(p.step(), lastQuality + ", loss " + Fmt.sig(p.loss(), 4), BAR_EVERY_NS);
        }
    }

    /** The watcher's view between checks: redraws only when nothing was drawn for a second (bar) or 5 s (lines). */
    synchronized void tick(long step) {
        if (closed || step < lastStep) return;
        lastStep = step;
        show(step, lastQuality == null ? "no check yet" : lastQuality + " at the last check", 1_000_000_000L);
    }

    private void show(long step, String quality, long barEvery) {
        long now = System.nanoTime();
        switch (mode) {
            case BAR -> {
                if (now - start < BAR_AFTER_NS || (barShown && now - lastDraw < barEvery)) return;
                lastDraw = now;
                barShown = true;
                lastBar = bar(step, quality, now);
                err.print("\r" + lastBar);
                err.flush();
            }
            case LINES -> {
                if (now - lastDraw < LINE_EVERY_NS) return;
                lastDraw = now;
                err.println("train: " + status(step, quality, now));
                err.flush();
            }
            default -> { }
        }
    }

    /** Ends the bar's line, so that what follows starts on its own. */
    @Override
    public synchronized void close() {
        closed = true;
        if (watcher != null) watcher.interrupt();
        if (barShown) {
            barShown = false;
            err.println();
            err.flush();
        }
    }

    private String bar(long step, String quality, long now) {
        double f = Math.min(1, step / (double) maxSteps);
        int full = (int) (f * BAR_WIDTH);
        StringBuilder sb = new StringBuilder("train ");
        String pct = Fmt.whole(100 * f);
        sb.append("   ", 0, 3 - Math.min(3, pct.length())).append(pct).append("% [");
        for (int i = 0; i < BAR_WIDTH; i++) sb.append(i < full ? '=' : i == full ? '>' : ' ');
        sb.append("] ").append(status(step, quality, now));
        // pad over a longer line drawn before
        int pad = lastBar.length() - sb.length();
        for (int i = 0; i < pad; i++) sb.append(' ');
        return sb.toString();
    }

    private String status(long step, String quality, long now) {
        double s = (now - start) * 1e-9;
        double rate = step / s;
        String left = step < maxSteps ? "at most " + Fmt.duration((maxSteps - step) / rate) + " to go" : "the final evaluation";
        return "step " + step + "/" + maxSteps + ", " + quality + ", " + Fmt.rate(rate) + " steps/s, elapsed " + Fmt.duration(s) + ", " + left;
    }

    private Map<String, Object> json(CurvePoint p, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", p.step());
        m.put("seconds", (now - start) * 1e-9);
        m.put("loss", finite(p.loss()));
        m.put("eval_accuracy", finite(p.evalAccuracy()));
        m.put("eval_mse", finite(p.evalMse()));
        m.put("train_accuracy", finite(p.trainAccuracy()));
        m.put("full_eval", p.full());
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
