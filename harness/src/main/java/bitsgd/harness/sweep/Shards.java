package bitsgd.harness.sweep;

import bitsgd.harness.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Splitting a sweep over machines: shard I of N keeps the runs whose run index % N == I (run index
 * = configIndex × seeds + seed position), so every shard gets a mix of cheap and expensive points.
 * Under a Slurm job array the defaults come from the environment: I = SLURM_ARRAY_TASK_ID −
 * SLURM_ARRAY_TASK_MIN, N = SLURM_ARRAY_TASK_COUNT (a contiguous {@code --array=0-(N-1)} or {@code
 * a-b}; a stepped or listed array needs explicit flags).
 */
public final class Shards {
    private Shards() {}

    public record Shard(int index, int count) {
        public boolean keeps(long runIndex) {
            return runIndex % count == index;
        }

        public static final Shard ALL = new Shard(0, 1);
    }

    /** Explicit flags win; else the Slurm array variables; else the whole sweep. */
    public static Shard resolve(Integer index, Integer count, Map<String, String> env) {
        Integer i = index, n = count;
        if (i == null && env.get("SLURM_ARRAY_TASK_ID") != null) {
            long id = envLong(env, "SLURM_ARRAY_TASK_ID");
            long min = env.get("SLURM_ARRAY_TASK_MIN") != null ? envLong(env, "SLURM_ARRAY_TASK_MIN") : 0;
            i = Math.toIntExact(id - min);
        }
        if (n == null && env.get("SLURM_ARRAY_TASK_COUNT") != null && index == null) {
            n = Math.toIntExact(envLong(env, "SLURM_ARRAY_TASK_COUNT"));
        }
        if (i == null && n == null) return Shard.ALL;
        if (n != null && n < 1) throw new UsageException("--shard-count must be >= 1, got " + n);   // whatever else is missing
        if (i == null) throw new UsageException("--shard-count " + n + " needs --shard-index (or SLURM_ARRAY_TASK_ID)");
        if (n == null) throw new UsageException("--shard-index " + i + " needs --shard-count (or SLURM_ARRAY_TASK_COUNT)");
        if (i < 0 || i >= n) throw new UsageException("--shard-index " + i + " outside [0," + n + ")");
        return new Shard(i, n);
    }

    private static long envLong(Map<String, String> env, String name) {
        try {
            return Long.parseLong(env.get(name).strip());
        } catch (NumberFormatException e) {
            throw new UsageException(name + "='" + env.get(name) + "' is not an integer");
        }
    }

    /** The Slurm ids of this process (null outside Slurm). */
    public static Map<String, Object> slurmIds(Map<String, String> env) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String v : new String[] {"SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT",
                "SLURMD_NODENAME", "SLURM_CLUSTER_NAME"}) {
            m.put(v.toLowerCase(Locale.ROOT), env.get(v));   // every key in every record, null outside Slurm
        }
        return m;
    }

    /**
     * A ready {@code sbatch} script: a job array of {@code count} tasks, each running its shard of the
     * spec into {@code <out>/shards/<task>} with {@code threads} cores; merge afterwards. Every path is
     * {@link #shellQuote quoted}, comments included, so no path can expand or run anything.
     */
    public static String sbatch(SweepSpec spec, Path specFile, Path out, int count, int threads, String launcher) {
        return sbatch(spec, specFile, out, count, threads, 0, launcher);
    }

    /** As above, passing {@code --split-width splitWidth} on (0: not). */
    public static String sbatch(SweepSpec spec, Path specFile, Path out, int count, int threads, int splitWidth, String launcher) {
        return sbatch(spec, specFile, out, count, threads, splitWidth, 0, launcher);
    }

    /** As above, also passing {@code --checkpoint-every checkpointEvery} on (0: not). */
    public static String sbatch(SweepSpec spec, Path specFile, Path out, int count, int threads, int splitWidth, long checkpointEvery,
                                String launcher) {
        String o = out.toAbsolutePath().normalize().toString();
        String l = shellQuote(launcher);
        String shards = shellQuote(o + "/shards/");
        return String.join("\n",
                "#!/bin/bash",
                "#SBATCH --job-name=bitsgd-" + spec.name(),
                "#SBATCH --array=0-" + (count - 1),
                "#SBATCH --ntasks=1",
                "#SBATCH --cpus-per-task=" + threads,
                "#SBATCH --output=slurm-%A_%a.out",
                "# " + spec.name() + ": " + spec.runCount() + " runs (" + spec.points().size() + " grid points x " + spec.seeds().size()
                        + " seeds) in " + count + " shards; shard I runs the runs with run index % " + count + " == I.",
                "# Submit: sbatch THIS_FILE; resubmitting skips every finished run" + (checkpointEvery > 0
                        ? " and continues an unfinished one from its last checkpoint." : "."),
                "# Afterwards: " + l + " merge --out " + shellQuote(o) + " " + shards + "*",
                "set -eu",
                "exec " + l + " sweep " + shellQuote(specFile.toAbsolutePath().normalize().toString())
                        + " --out " + shards + "\"$SLURM_ARRAY_TASK_ID\""
                        + " --threads \"${SLURM_CPUS_PER_TASK:-" + threads + "}\"" + (splitWidth > 0 ? " --split-width " + splitWidth : "")
                        + (checkpointEvery > 0 ? " --checkpoint-every " + checkpointEvery : "") + " --progress lines",
                "");
    }

    /**
     * {@code s} as one bash word that stays literal: {@code 'it'\''s'} (single quotes, a quote as {@code '\''}); with a
     * control character (a newline would end a comment line) bash's {@code $'...'} with escapes, as printf %q does.
     */
    public static String shellQuote(String s) {
        boolean control = false;
        for (int i = 0; i < s.length(); i++) control |= s.charAt(i) < 0x20 || s.charAt(i) == 0x7f;
        if (!control) return "'" + s.replace("'", "'\\''") + "'";
        StringBuilder b = new StringBuilder("$'");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('\'').toString();
    }

    /** {@code bin/bitsgd} of the repository this jar was built in, if found; else "bitsgd". */
    public static String launcher() {
        try {
            Path jar = Path.of(Shards.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar; p != null; p = p.getParent()) {
                Path l = p.resolve("bin/bitsgd");
                if (Files.isExecutable(l)) return l.toAbsolutePath().normalize().toString();
            }
        } catch (Exception ignored) {
            // fall through
        }
        return "bitsgd";
    }
}
