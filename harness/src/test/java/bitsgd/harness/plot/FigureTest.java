package bitsgd.harness.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import bitsgd.harness.sweep.SweepSpec;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class FigureTest {

    /** About 7 pixels a character, as the tick font. */
    private static final ToDoubleFunction<String> WIDTH = label -> 7.0 * label.length();

    @Test
    void aLogAxisOverAFewGridValuesIsLabelledAtEachOfThem() {
        Ticks.Axis n = Ticks.of(10, 30, true, List.of(10.0, 15.0, 20.0, 25.0, 30.0), 640, WIDTH);
        assertEquals(List.of("10", "15", "20", "25", "30"), n.labels());
        assertTrue(n.min() < 10 && n.max() > 30);
    }

    @Test
    void aLogAxisIsLabelledAt125PerDecadeOrAtDecadesWhenThoseWouldCrowd() {
        Ticks.Axis steps = Ticks.of(50, 6000, true, List.of(), 640, WIDTH);
        assertEquals(List.of("50", "100", "200", "500", "1000", "2000", "5000"), steps.labels());
        assertTrue(steps.minor().contains(300.0) && !steps.minor().contains(200.0), steps.minor().toString());
        Ticks.Axis wide = Ticks.of(1, 100_000, true, List.of(), 640, WIDTH);
        assertEquals(List.of("1", "10", "100", "1000", "10000", "100000"), wide.labels());
        Ticks.Axis narrow = Ticks.of(52, 98, true, List.of(), 640, WIDTH);
        assertEquals(List.of("60", "70", "80", "90", "100"), narrow.labels());
        Ticks.Axis small = Ticks.of(0.004, 1.2, true, List.of(), 420, label -> 12);
        assertEquals(List.of("0.005", "0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"), small.labels());
    }

    @Test
    void anAxisNeverMixesPlainNumbersWithExponents() {
        assertEquals(List.of("20", "50", "100", "200", "500", "1000", "2000", "5000", "10000", "20000"),
                Ticks.of(15, 25_000, true, List.of(), 560, label -> 12).labels());
        assertEquals(List.of("1e4", "1e5", "1e6", "1e7", "1e8"), Ticks.of(3000, 2e8, true, List.of(), 640, WIDTH).labels());
        assertEquals(List.of("1e-5", "1e-4", "1e-3"), Ticks.labels(List.of(1e-5, 1e-4, 1e-3), true));
        assertEquals(List.of("2.5e6", "5e6", "7.5e6", "1e7"), Ticks.labels(List.of(2.5e6, 5e6, 7.5e6, 1e7), false));
    }

    @Test
    void aLinearAxisHasRoundStepsWithOneNumberOfDecimals() {
        Ticks.Axis accuracy = Ticks.of(0.45, 1.0, false, List.of(), 420, label -> 12);
        assertEquals(List.of("0.5", "0.6", "0.7", "0.8", "0.9", "1.0"), accuracy.labels());
        Ticks.Axis steps = Ticks.of(0, 2000, false, List.of(), 640, WIDTH);
        assertEquals(List.of("0", "200", "400", "600", "800", "1000", "1200", "1400", "1600", "1800", "2000"), steps.labels());
        assertEquals(List.of("-0.2", "0.0", "0.2"), Ticks.of(-0.25, 0.25, false, List.of(), 200, label -> 12).labels());
    }

    @Test
    void labelsThatWouldOverlapMakeWayForFewer() {
        List<Double> dense = List.of(800.0, 900.0, 1000.0);
        double[] lim = Ticks.limits(50, 6000, true);
        assertFalse(Ticks.fits(lim[0], lim[1], true, dense, Ticks.labels(dense, true), 640, WIDTH));
        Ticks.Axis shortAxis = Ticks.of(50, 6000, true, List.of(), 120, WIDTH);
        assertTrue(Ticks.fits(shortAxis.min(), shortAxis.max(), true, shortAxis.values(), shortAxis.labels(), 120, WIDTH));
        assertEquals(List.of("100", "1000"), shortAxis.labels());
    }

    /** The series (drawn by XChart) and the ticks and grid (drawn by the figure) agree on where a value is. */
    @Test
    void xChartsLayerMapsTheAxisLimitsOntoThePlotArea() {
        XYChart c = new XYChartBuilder().width(900).height(560).title("t").xAxisTitle("n").yAxisTitle("t_c").build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.addSeries("k=3", List.of(10.0, 20.0, 30.0), List.of(300.0, 800.0, 1300.0));
        Figure f = new Figure(c).subtitle("width 100, batch 32").labelXAt(List.of(10.0, 20.0, 30.0));
        BufferedImage img = f.render();
        assertEquals(900, img.getWidth());
        Figure.Layout l = f.layout();
        for (double v : List.of(10.0, 20.0, 30.0)) assertEquals(l.x().fraction(v) * l.width(), c.getScreenXFromChart(v), 1.0);
        for (double v : List.of(300.0, 1000.0)) assertEquals((1 - l.y().fraction(v)) * l.height(), c.getScreenYFromChart(v), 1.0);
        assertEquals(List.of("10", "20", "30"), l.x().labels());
        assertTrue(l.left() + l.width() < 900 - 80, "the legend has its own room right of the plot");
    }

    @Test
    void theSettingsLineNamesWhatEveryPointShares() {
        SweepSpec s = SweepSpec.parse("""
                {"name": "s", "fixed": {"width": 100, "batch": 32, "lr": 0.1}, "grid": {"k": [2, 3], "n": [10, 20]},
                 "seeds": 25, "budget": 3000}""", null);
        assertEquals("width 100, batch 32, lr 0.1, hinge, max steps 3000, seeds 0–24", SharedSettings.of(s));
        SweepSpec adam = SweepSpec.parse("""
                {"name": "a", "fixed": {"k": 3, "arch": "transformer", "width": 32, "heads": 4, "depth": 1, "optimizer": "adam", "lr": 0.001},
                 "grid": {"n": [10, 20]}, "seeds": 2, "budget": 3000}""", null);
        assertEquals("k 3, transformer depth 1 heads 4, width 32, batch 32, adam, lr 0.001, hinge, max steps 3000, seeds 0–1", SharedSettings.of(adam));
        assertEquals("seeds 1, 5, 9", SharedSettings.seeds(List.of(1L, 5L, 9L)));
        assertEquals("7 seeds", SharedSettings.seeds(List.of(1L, 5L, 9L, 11L, 12L, 13L, 20L)));
    }
}
