package bitsgd.harness.task;

import bitsgd.harness.UsageException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The {@code --target} flag: a name (and arguments) → a {@link Target}. Variables are 1-based in specs and
 * descriptions, 0-based in code.
 *
 * <pre>
 *   parity                     χ_S, S = --secret (0-based) or a random k-subset from the task stream
 *   chi:d                      x1⋯xd (a SparseParity on S = {0..d−1}): the staircase paper's comparison
 *   staircase:d                S_d = (x1 + x1x2 + … + x1⋯xd)/√d
 *   double-staircase:d1,d2     S_d1(x) + S_d2(x1, x_{d1+1}, …, x_{d1+d2−1}) − x1
 *   monomials:SPEC             e.g. monomials:x1 + x1*x2 - 0.5*x3x4   (see MonomialParser)
 *   majority                   sign(x1 + … + xn), n odd
 * </pre>
 */
public final class Targets {
    /** The accepted forms, for error messages. */
    public static final String FORMS =
            "parity, chi:d, staircase:d, double-staircase:d1,d2, monomials:<spec>, majority";

    private Targets() {}

    /**
     * The target named by {@code spec} on n inputs; null means {@code parity} (today's default). {@code k} and
     * {@code secret} (0-based, may be null) only matter for parity, and {@code secret} is rejected elsewhere;
     * only a random parity draws from {@code taskRng}, exactly as {@link SparseParity#random} always did.
     */
    public static Target parse(String spec, int n, int k, List<Integer> secret, RandomGenerator taskRng) {
        if (n < 1) throw new UsageException("n must be >= 1, got " + n);
        String s = spec == null ? "parity" : spec.strip();
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon).strip();
        String args = colon < 0 ? null : s.substring(colon + 1);
        if (!name.equals("parity") && secret != null) {
            throw new UsageException("--secret only applies to --target parity, not " + name);
        }
        return switch (name) {
            case "parity" -> {
                noArgs(name, args);
                yield parity(n, k, secret, taskRng);
            }
            case "chi" -> chi(n, degree(name, args, n));
            case "staircase" -> staircase(n, degree(name, args, n));
            case "double-staircase" -> doubleStaircase(n, args);
            case "monomials" -> Monomials.parse(args == null ? "" : args, n);
            case "majority" -> {
                noArgs(name, args);
                yield Majority.of(n);
            }
            default -> throw new UsageException("unknown target '" + oneLine(name) + "': expected one of " + FORMS);
        };
    }

    /** χ_S with S = secret (0-based) when given, else a uniformly random k-subset drawn from {@code taskRng}. */
    public static SparseParity parity(int n, int k, List<Integer> secret, RandomGenerator taskRng) {
        if (secret == null) return SparseParity.random(n, k, taskRng);
        if (k >= 1 && k != secret.size()) throw new UsageException("--secret has " + secret.size() + " indices but --k is " + k);
        return SparseParity.of(n, secret.stream().mapToInt(Integer::intValue).toArray());
    }

    /** x1⋯xd as a parity on S = {0..d−1}, so parity-specific probes still apply. */
    public static SparseParity chi(int n, int d) {
        checkDegree("chi", d, n);
        return SparseParity.of(n, Monomials.range(0, d));
    }

    /** S_d = (x1 + x1x2 + … + x1⋯xd)/√d, unit variance. */
    public static Monomials staircase(int n, int d) {
        checkDegree("staircase", d, n);
        List<int[]> supports = new ArrayList<>();
        for (int j = 1; j <= d; j++) supports.add(Monomials.range(0, j));
        return Monomials.of(n, supports, filled(d, 1 / Math.sqrt(d))).named("staircase:" + d);
    }

    /**
     * S_{d1,d2} = S'_d1(x) + S'_d2(x1, x_{d1+1}, …, x_{d1+d2−1}) − x1 with the unnormalised staircases
     * S'_d = x1 + x1x2 + … + x1⋯xd (docs/protocols.md §B "not normalised"): every monomial has coefficient 1, x1 once.
     *
     * <p>The second staircase's variables u1..u_d2 are u1 = x1 and u_j = x_{d1+j−1} for j ≥ 2, i.e. 0-based
     * {0, d1, d1+1, …, d1+d2−2}; it needs n ≥ d1+d2−1. The "− x1" removes the double count of the shared x1
     * (the reading where the two staircases were unit-variance would leave x1 at 1/√d1 + 1/√d2 − 1 &lt; 0).
     */
    public static Monomials doubleStaircase(int n, int d1, int d2) {
        checkDegree("double-staircase first", d1, n);
        checkDegree("double-staircase second", d2, n);
        if (d1 + d2 - 1 > n) {
            throw new UsageException("double-staircase:" + d1 + "," + d2 + " uses x1..x" + (d1 + d2 - 1) + " but n=" + n);
        }
        List<int[]> supports = new ArrayList<>();
        List<Double> coefficients = new ArrayList<>();
        for (int j = 1; j <= d1; j++) {
            supports.add(Monomials.range(0, j));
            coefficients.add(1.0);
        }
        for (int j = 1; j <= d2; j++) {
            int[] u = new int[j];
            for (int k = 1; k < j; k++) u[k] = d1 + k - 1; // u[0] = 0 is the shared x1
            supports.add(u);
            coefficients.add(1.0);
        }
        supports.add(new int[] {0});
        coefficients.add(-1.0);
        double[] c = coefficients.stream().mapToDouble(Double::doubleValue).toArray();
        return Monomials.of(n, supports, c).named("double-staircase:" + d1 + "," + d2);
    }

    /** The target as a finite sum of monomials, for coefficient tracking; empty for majority and unknowns. */
    public static Optional<Monomials> monomialsOf(Target target) {
        if (target instanceof Monomials m) return Optional.of(m);
        if (target instanceof SparseParity p) return Optional.of(Monomials.of(p.n(), List.of(p.secret()), new double[] {1}));
        return Optional.empty();
    }

    private static Monomials doubleStaircase(int n, String args) {
        String[] parts = args == null ? new String[0] : args.split(",", -1);
        if (parts.length != 2) {
            String got = args == null ? "" : "; got '" + oneLine(args) + "'";
            throw new UsageException("double-staircase needs two degrees, e.g. double-staircase:7,7" + got);
        }
        return doubleStaircase(n, integer("double-staircase", parts[0]), integer("double-staircase", parts[1]));
    }

    private static int degree(String name, String args, int n) {
        if (args == null) throw new UsageException(name + " needs a degree, e.g. " + name + ":" + Math.min(n, 3));
        return integer(name, args);
    }

    private static int integer(String name, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(name + ": '" + oneLine(text) + "' is not an integer degree");
        }
    }

    private static void checkDegree(String name, int d, int n) {
        if (d < 1 || d > n) throw new UsageException(name + " degree must be in [1, n=" + n + "], got " + d);
    }

    private static void noArgs(String name, String args) {
        if (args != null) throw new UsageException(name + " takes no arguments, got '" + name + ":" + oneLine(args) + "'");
    }

    private static double[] filled(int count, double value) {
        double[] a = new double[count];
        Arrays.fill(a, value);
        return a;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
