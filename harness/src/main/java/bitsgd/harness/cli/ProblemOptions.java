package bitsgd.harness.cli;

import bitsgd.harness.UsageException;
import bitsgd.harness.io.Json;
import bitsgd.harness.train.Setting;
import bitsgd.harness.train.Settings;
import bitsgd.kernel.mlp.Loss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The options that define a run, one per {@link Setting}, with its name, default and help: every command that takes a
 * problem ({@code train}, {@code trace}, {@code popgrad}) adds this one group, so names and defaults cannot differ
 * between commands, nor from sweep specs and records. {@code --config FILE} reads settings from a JSON object with
 * the spec's keys; options given on the command line win over the file.
 */
final class ProblemOptions {
    static final Opt<Path> CONFIG = Opt.path("--config",
            "JSON object of settings, keys as in a sweep spec's fixed (e.g. {\"n\": 20, \"max_steps\": 5000}); the options given here win.")
            .label("FILE");

    private static final Map<Setting, Opt<?>> OPTIONS = new EnumMap<>(Setting.class);

    static {
        for (Setting s : Setting.values()) OPTIONS.put(s, option(s));
    }

    private ProblemOptions() {}

    /** The group, in {@link Setting} order, then {@code --config}. */
    static Opt<?>[] all() {
        Opt<?>[] out = new Opt<?>[OPTIONS.size() + 1];
        int i = 0;
        for (Setting s : Setting.values()) out[i++] = OPTIONS.get(s);
        out[i] = CONFIG;
        return out;
    }

    /** The option of a setting (to read it with {@link Parsed#get}). */
    static Opt<?> of(Setting s) {
        return OPTIONS.get(s);
    }

    /** The settings of a command line: the {@code --config} file's, then every option given (defaults are the Settings'). */
    static Settings read(Parsed p) {
        return read(p, null, null);
    }

    /** As {@link #read(Parsed)} on top of {@code base} settings (a saved model's, named by {@code what}), which every other source overrides. */
    static Settings read(Parsed p, Map<String, Object> base, String what) {
        Settings settings = new Settings();
        if (base != null) settings.setAll(base, what);
        Path file = p.get(CONFIG);
        if (file != null) settings.setAll(config(file), "--config " + file);
        for (Setting s : Setting.values()) {
            Opt<?> o = OPTIONS.get(s);
            if (p.given(o)) settings.set(s, p.get(o));
        }
        String target = String.valueOf(settings.get(Setting.TARGET));
        if (p.given(OPTIONS.get(Setting.K)) && !target.equals("parity")) {
            throw new UsageException("--k is the degree of --target parity; --target " + target + " has its own, so leave --k out");
        }
        return settings;
    }

    /** Refuses settings a command has no use for, when given, instead of ignoring them. */
    static void refuseUnused(Parsed p, String command, Setting... unused) {
        for (Setting s : unused) {
            if (p.given(OPTIONS.get(s))) throw new UsageException(command + " does not use " + s.option());
        }
    }

    private static Map<String, Object> config(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new UsageException("--config " + file + ": no such file");
        } catch (IOException e) {
            throw new UsageException("--config " + file + ": " + e.getMessage());
        }
        Map<String, Object> m;
        try {
            m = Json.parse(text);
        } catch (RuntimeException e) {
            throw new UsageException("--config " + file + " is not a JSON object of settings");
        }
        if (m == null) throw new UsageException("--config " + file + " is empty");
        return m;
    }

    private static Opt<?> option(Setting s) {
        String name = s.option();
        Opt<?> o = switch (s.kind) {
            case INT -> Opt.integer(name, s.help);
            case LONG -> Opt.longInteger(name, s.help);
            case DOUBLE -> Opt.real(name, s.help);
            case STRING -> Opt.string(name, s.help);
            case BOOL -> Opt.negatable(name, Boolean.parseBoolean(s.defaultText), s.help);
            case LOSS -> Opt.choice(name, Loss.values(), s.help);
            case INT_LIST -> Opt.integers(name, s.help);
            case DOUBLE_LIST -> Opt.reals(name, s.help);
        };
        if (s.defaultText != null && s.kind != Setting.Kind.BOOL) o.defaultValue(s.defaultText);
        String label = switch (s) {
            case TARGET -> "SPEC";
            case LAYER_LR -> "ETA";
            case LABEL_NOISE -> "P";
            case TRAIN_SIZE -> "M";
            case TARGET_MSE -> "F";
            case TRACK_PREFIXES -> "D";
            case SECRET -> "I";
            default -> null;
        };
        if (label != null) o.label(label);
        return o;
    }
}
