package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.AtomicFiles;
import bitsgd.harness.io.Csv;
import bitsgd.harness.io.Json;
import bitsgd.harness.model.BitMlp;
import bitsgd.harness.popgrad.FourierGap;
import bitsgd.harness.popgrad.PopulationGradient.InitKind;
import bitsgd.harness.popgrad.PopulationGradient.TargetKind;
import bitsgd.harness.popgrad.PopulationGradient;
import bitsgd.harness.task.SparseParity;
import bitsgd.harness.train.RunStreams;
import bitsgd.harness.train.Setting;
import bitsgd.harness.train.Settings;
import bitsgd.harness.train.TrainConfig;
import bitsgd.harness.train.Trainer;
import bitsgd.kernel.Kernels;
import bitsgd.kernel.mlp.Loss;
import bitsgd.kernel.mlp.Mlp2;
import bitsgd.kernel.popgrad.PopGrad;
import bitsgd.kernel.popgrad.PopGradKernels;
import bitsgd.kernel.popgrad.PopGrads;
import bitsgd.kernel.popgrad.PopTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bitsgd popgrad}: the exact population gradient at initialisation, with its Fourier gap. */
public final class PopGradCommand implements Callable<Integer> {

    static final Opt<Long> STEPS = Opt.longInteger("--steps",
            "First train T online-SGD steps exactly as train would (same seed, data stream, --batch/--lr/--wd), then measure.")
            .label("T").defaultValue("0");
    static final Opt<Integer> SHOW = Opt.integer("--show", "Neurons printed per coordinate.").defaultValue("4");
    static final Opt<Integer> REPEAT = Opt.integer("--repeat", "Compute this many times and report the fastest.").defaultValue("1");
    static final Opt<Boolean> JSON = Output.JSON;
    static final Opt<Path> OUT = Output.out("gradient.csv and popgrad.json");

    static final Options OPTIONS = new Options("popgrad")
            .details("n at most 34 (2^n inputs are enumerated); --target parity or majority (odd n); --init uniform (train's init"
                    + " for --seed) or sign (W = 1, b = 0, a = 1, c = 0: the theory check); --label-noise is taken in expectation"
                    + " (0.5 = random labels); --batch, --lr, --wd apply to --steps.")
            .add(ProblemOptions.all()).add(SavedModelOption.MODEL, STEPS, SHOW, REPEAT, JSON, OUT);

    /** The problem settings popgrad has no use for: given, they are refused rather than ignored. */
    private static final Setting[] UNUSED = {Setting.ARCH, Setting.ACTIVATION, Setting.DEGREE, Setting.DEPTH, Setting.HEADS, Setting.SECOND_LAYER,
        Setting.LAYER_LR, Setting.SCHEDULE, Setting.TRAIN_SIZE, Setting.INPUTS, Setting.TARGET_MSE, Setting.TRACK_PREFIXES,
        Setting.SCORE_MSE, Setting.MAX_STEPS, Setting.EVAL_EVERY, Setting.EVAL_SAMPLES, Setting.TARGET_ACCURACY, Setting.STOP_ON_SOLVE,
        Setting.OPTIMIZER, Setting.MOMENTUM, Setting.BETA1, Setting.BETA2, Setting.EPS};

    private final PrintWriter stdout;
    private final Parsed parsed;
    final long steps;
    final int show;
    final int repeat;
    final boolean json;
    final Path out;

    PopGradCommand(Parsed p, PrintWriter stdout) {
        this.stdout = stdout;
        this.parsed = p;
        steps = p.get(STEPS);
        show = p.get(SHOW);
        repeat = p.get(REPEAT);
        json = p.get(JSON);
        out = p.get(OUT);
    }

    @Override
    public Integer call() throws Exception {
        ProblemOptions.refuseUnused(parsed, "popgrad", UNUSED);
        if (steps < 0) throw new UsageException("--steps must be >= 0, got " + steps);
        Path saved = parsed.get(SavedModelOption.MODEL);
        if (saved != null && parsed.given(ProblemOptions.of(Setting.INIT))) {
            throw new UsageException("--model gives the parameters; leave out --init");
        }
        Settings settings = SavedModelOption.settings(parsed)
                .set(Setting.MAX_STEPS, Math.max(1, steps)).set(Setting.EVAL_EVERY, Math.max(1, steps)).set(Setting.STOP_ON_SOLVE, false);
        String targetName = (String) settings.get(Setting.TARGET), initName = (String) settings.get(Setting.INIT);
        if (!targetName.equals("parity") && !targetName.equals("majority")) {
            throw new UsageException("popgrad takes --target parity or majority, got " + targetName);
        }
        if (!initName.equals("uniform") && !initName.equals("sign")) throw new UsageException("popgrad takes --init uniform or sign, got " + initName);
        boolean majority = targetName.equals("majority");
        if (majority && (settings.has(Setting.K) || settings.has(Setting.SECRET))) {
            throw new UsageException("--target majority depends on every input: it takes no --k or --secret");
        }
        TrainConfig cfg = settings.toConfig();
        int n = cfg.n(), width = cfg.width();
        long seed = cfg.seed();
        Loss loss = cfg.loss();
        double flip = cfg.setup().labelNoise();
        InitKind init = initName.equals("sign") ? InitKind.SIGN : InitKind.PYTORCH;
        if (majority && n % 2 == 0) throw new UsageException("--target majority needs odd --n, got " + n);
        if (show < 0) throw new UsageException("--show must be >= 0, got " + show);
        if (repeat < 1) throw new UsageException("--repeat must be >= 1, got " + repeat);
        PopulationGradient.checkFits(n, width);
        if (out != null) Output.directory(out);
        PopGradKernels kern;
        try {
            kern = PopGrads.byName(cfg.kernels());
        } catch (IllegalStateException e) {
            throw new UsageException("--kernels " + cfg.kernels() + ": " + e.getMessage());
        }

        PopTarget t = majority ? PopTarget.majority(n) : PopulationGradient.target(Trainer.parity(cfg, new RunStreams(seed)));
        Mlp2 net;
        if (steps > 0) {
            // the live net of a train run with this config, stopped after --steps (the sign init replaces train's in place)
            Trainer trainer = new Trainer(cfg);
            if (saved != null) SavedModelOption.parameters(parsed, trainer.model());
            else if (init == InitKind.SIGN) bitsgd.harness.model.Init.sign(trainer.net());
            trainer.run(p -> {});
            net = trainer.net();
        } else {
            net = PopulationGradient.initialNet(cfg, init);
            if (saved != null) SavedModelOption.parameters(parsed, new BitMlp(net, Kernels.scalarMlp()));
        }
        PopulationGradient.Timed timed = PopulationGradient.compute(kern, net, t, loss, flip, repeat);
        PopGrad g = timed.grad();
        FourierGap gap = t.isParity() ? FourierGap.of(g, t.mask()) : null;

        PrintWriter o = stdout;
        printSummary(o, cfg, t, timed, gap);
        printCoordinates(o, g, t, Math.min(show, width));
        Map<String, Object> m = toMap(cfg, t, timed, gap);
        if (out != null) {
            AtomicFiles.write(out.resolve("gradient.csv"), csv(g, t));
            AtomicFiles.write(out.resolve("popgrad.json"), Json.line(m) + "\n");
        }
        if (json) o.println(Json.line(m));
        o.flush();
        return Main.OK;
    }

    private void printSummary(PrintWriter o, TrainConfig cfg, PopTarget t, PopulationGradient.Timed timed, FourierGap gap) {
        PopGrad g = timed.grad();
        int n = cfg.n();
        double flip = cfg.setup().labelNoise();
        boolean sign = cfg.model().init().equals("sign");
        Loss loss = cfg.loss();
        o.printf(Locale.ROOT, "task    %s%s%n", t.describe(), flip > 0 ? String.format(Locale.ROOT, ", labels flipped w.p. %s (in expectation)", flip) : "");
        o.printf(Locale.ROOT, "model   relu mlp width %d, init %s%s, %s loss%n", cfg.width(), cfg.model().init(),
                sign ? " (W = 1, b = 0, a = 1, c = 0)" : " (seed " + cfg.seed() + ")", loss.name().toLowerCase(Locale.ROOT));
        if (steps > 0) {
            o.printf(Locale.ROOT, "trained %d online SGD steps first (batch %d, lr %s, wd %s, seed %d), as train would%n", steps, cfg.batch(), cfg.lr(),
                    cfg.wd(), cfg.seed());
        }
        o.printf(Locale.ROOT, "popgrad 2^%d = %d inputs, %s kernels, low block L = %d, %.2f ms%s, %.2f G lane-ops/s%n", n, g.inputs(), g.kernels(),
                PopGrads.lowBits(n, cfg.width()), timed.seconds() * 1e3, repeat > 1 ? " (fastest of " + repeat + ")" : "",
                timed.laneOpsPerSecond() * 1e-9);
        o.printf(Locale.ROOT, "pop     loss %.6g, accuracy %.6f, ∂c %.4g%n", g.loss(), g.accuracy(), g.c());
        if (gap != null) {
            o.printf(Locale.ROOT, "gap     overall %.4g, best neuron %.4g, median neuron %.4g; mean |∂W| on S %.4g, off S %.4g%n",
                    gap.overall(), gap.best(), gap.median(), gap.onMean(), gap.offMean());
            int kk = Long.bitCount(t.mask());
            if (steps == 0 && sign && loss == Loss.CORRELATION && n % 2 == 1 && kk % 2 == 0 && kk < n && flip == 0) {
                o.printf(Locale.ROOT, "theory  |∂W on S| / |∂W off S| = %.10g, (n−k)/(k−1) = %.10g%n",
                        gap.onMean() / gap.offMean(), (double) (n - kk) / (kk - 1));
            }
        }
    }

    private static void printCoordinates(PrintWriter o, PopGrad g, PopTarget t, int shown) {
        if (shown == 0) return;
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%4s %4s %12s", "i", "in_S", "mean|∂W_i·|"));
        for (int j = 0; j < shown; j++) head.append(String.format(Locale.ROOT, " %12s", "∂W_i," + j));
        o.println(head);
        for (int i = 0; i < g.n(); i++) {
            double s = 0;
            for (int j = 0; j < g.h(); j++) s += Math.abs(g.w(i, j));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%4d %4s %12.5e", i, inS(t, i) ? "yes" : "", s / g.h()));
            for (int j = 0; j < shown; j++) line.append(String.format(Locale.ROOT, " %12.5e", g.w(i, j)));
            o.println(line);
        }
    }

    private static boolean inS(PopTarget t, int i) {
        return t.isParity() && (t.mask() >>> i & 1) != 0;
    }

    /** popgrad.json: the settings it used, by their keys as everywhere ({@link Setting}), then what it measured. */
    private Map<String, Object> toMap(TrainConfig cfg, PopTarget t, PopulationGradient.Timed timed, FourierGap gap) {
        PopGrad g = timed.grad();
        int n = cfg.n();
        Map<String, Object> all = cfg.toMap();
        var m = new LinkedHashMap<String, Object>();
        for (Setting s : new Setting[] {Setting.TARGET, Setting.N, Setting.K, Setting.WIDTH, Setting.INIT, Setting.LOSS,
            Setting.LABEL_NOISE, Setting.SEED}) {
            m.put(s.key(), all.get(s.key()));
        }
        m.put("task", t.describe());
        m.put("steps", steps);
        if (steps > 0) {
            m.put("batch", cfg.batch());
            m.put("lr", cfg.lr());
            m.put("wd", cfg.wd());
        }
        m.put("kernels", g.kernels());
        m.put("low_bits", PopGrads.lowBits(n, cfg.width()));
        m.put("seconds", timed.seconds());
        m.put("lane_ops_per_second", timed.laneOpsPerSecond());
        m.put("pop_loss", g.loss());
        m.put("pop_accuracy", g.accuracy());
        if (gap != null) {
            List<Integer> s = new ArrayList<>();
            for (int i = 0; i < n; i++) if (inS(t, i)) s.add(i);
            m.put("secret", s);
            m.put("gap_overall", gap.overall());
            m.put("gap_best", gap.best());
            m.put("gap_median", gap.median());
            m.put("grad_on_s_mean_abs", gap.onMean());
            m.put("grad_off_s_mean_abs", Double.isNaN(gap.offMean()) ? null : gap.offMean());
            m.put("gap_per_neuron", gap.perNeuron());
        }
        m.put("d_c", g.c());
        m.put("d_a", g.a());
        m.put("d_b", g.b());
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(java.util.Arrays.copyOfRange(g.w(), i * g.h(), (i + 1) * g.h()));
        m.put("d_w", rows);
        return m;
    }

    static String csv(PopGrad g, PopTarget t) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < g.n(); i++) {
            for (int j = 0; j < g.h(); j++) {
                rows.add(List.of(String.valueOf(i), inS(t, i) ? "1" : "0", String.valueOf(j), String.valueOf(g.w(i, j))));
            }
        }
        return Csv.write(List.of("i", "in_s", "j", "d_w"), rows);
    }
}
