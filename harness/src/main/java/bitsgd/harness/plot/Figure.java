package bitsgd.harness.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.None;

/**
 * A chart as a PNG that reads at a glance: XChart draws the series (lines, IQR bands, markers, annotations) inside the
 * plot area; the rest is drawn here as a matplotlib user expects it: the title with a line of the fixed settings under
 * it, axes whose ticks {@link Ticks} chooses (log axes at 1-2-5 per decade or at the grid values, one number style per
 * axis, no overlapping labels), light grid lines under the data, and the legend outside the plot, to its right.
 */
public final class Figure {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font TICK_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color INK = new Color(0x222222), SOFT_INK = new Color(0x555555), GRID = new Color(0xe3e3e3);
    private static final int PAD = 12, TICK = 5, MINOR_TICK = 3, LABEL_GAP = 4, SAMPLE = 28;
    private static final Color CLEAR = new Color(0, 0, 0, 0);

    private final XYChart chart;
    private String subtitle = "";
    private List<Double> xValues = List.of();
    private Layout layout;

    /** Where the last render put the plot area in the image, and its x and left y axes. */
    record Layout(int left, int top, int width, int height, Ticks.Axis x, Ticks.Axis y) {}

    public Figure(XYChart chart) {
        this.chart = chart;
    }

    /** The line under the title: the settings every series shares (e.g. "width 100, batch 32, lr 0.1, hinge, seeds 0–24"). */
    public Figure subtitle(String line) {
        this.subtitle = line == null ? "" : line;
        return this;
    }

    /** On a log x axis, label these values (a grid axis's values) when they are few and fit. */
    public Figure labelXAt(List<Double> values) {
        this.xValues = List.copyOf(values);
        return this;
    }

    Layout layout() {
        return layout;
    }

    /** The figure as PNG bytes. */
    public byte[] png() {
        return encode(render());
    }

    /** Several figures as one PNG, side by side in rows of {@code columns} (a paper's panels). */
    public static byte[] tiled(List<Figure> figures, int columns) {
        List<BufferedImage> images = figures.stream().map(Figure::render).toList();
        int cellW = images.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int cellH = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage all = new BufferedImage(cellW * Math.min(columns, images.size()), cellH * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        for (int i = 0; i < images.size(); i++) g.drawImage(images.get(i), (i % columns) * cellW, (i / columns) * cellH, null);
        g.dispose();
        return encode(all);
    }

    private static byte[] encode(BufferedImage img) {
        var bytes = new ByteArrayOutputStream();
        try {
            ImageIO.setUseCache(false);   // encode in memory: ImageIO's default cache file in java.io.tmpdir is a write outside --out
            ImageIO.write(img, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static boolean drawable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    /** The data range of one axis; NaN when it has no data. */
    private record Range(double lo, double hi) {
        static final Range NONE = new Range(Double.NaN, Double.NaN);

        Range with(double v) {
            return Double.isNaN(lo) ? new Range(v, v) : new Range(Math.min(lo, v), Math.max(hi, v));
        }

        boolean empty() {
            return Double.isNaN(lo);
        }
    }

    BufferedImage render() {
        int width = chart.getWidth(), height = chart.getHeight();
        XYStyler st = chart.getStyler();
        boolean xLog = st.isXAxisLogarithmic(), yLog = st.isYAxisLogarithmic();
        Range x = Range.NONE, y0 = Range.NONE, y1 = Range.NONE;
        List<XYSeries> legend = new ArrayList<>();
        for (XYSeries s : chart.getSeriesMap().values()) {
            boolean right = s.getYAxisGroup() == 1;
            double[] xs = s.getXData(), ys = s.getYData();
            for (int i = 0; i < xs.length; i++) {
                if (!drawable(xs[i], xLog) || !drawable(ys[i], yLog)) continue;
                x = x.with(xs[i]);
                if (right) y1 = y1.with(ys[i]);
                else y0 = y0.with(ys[i]);
            }
            if (s.isShowInLegend()) legend.add(s);
        }
        if (x.empty()) x = new Range(1, 1);
        if (y0.empty()) y0 = new Range(1, 1);
        boolean twin = !y1.empty();

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        FontMetrics tick = g.getFontMetrics(TICK_LABEL), axisTitle = g.getFontMetrics(AXIS_TITLE), leg = g.getFontMetrics(LEGEND);

        // header: the title and the settings line, wrapped to the image width
        List<String> titleLines = wrap(chart.getTitle(), g.getFontMetrics(TITLE), width - 2 * PAD);
        List<String> subLines = wrap(subtitle, g.getFontMetrics(SUBTITLE), width - 2 * PAD);
        int top = PAD + titleLines.size() * g.getFontMetrics(TITLE).getHeight() + subLines.size() * g.getFontMetrics(SUBTITLE).getHeight() + 10;

        // legend to the right of the plot (and of a right-hand axis)
        int legendWidth = 0;
        for (XYSeries s : legend) legendWidth = Math.max(legendWidth, SAMPLE + 8 + leg.stringWidth(s.getName()));
        if (!legend.isEmpty()) legendWidth += 2 * 8;

        String xTitle = text(chart.getXAxisTitle()), yTitle = text(chart.getYAxisTitle()), y1Title = twin ? text(chart.getYAxisGroupTitle(1)) : "";
        int bottom = height - PAD - (xTitle.isEmpty() ? 0 : axisTitle.getHeight() + 4) - tick.getHeight() - LABEL_GAP - TICK;
        int left = PAD + 80, right = width - PAD - 80;
        Ticks.Axis xAxis = null, yAxis = null, y1Axis = null;
        for (int pass = 0; pass < 2; pass++) {   // the label widths set the plot's width, which sets the labels
            int plotW = Math.max(50, right - left), plotH = Math.max(50, bottom - top);
            xAxis = Ticks.of(x.lo(), x.hi(), xLog, xValues, plotW, tick::stringWidth);
            yAxis = Ticks.of(y0.lo(), y0.hi(), yLog, List.of(), plotH, label -> tick.getAscent());
            y1Axis = twin ? Ticks.of(y1.lo(), y1.hi(), yLog, List.of(), plotH, label -> tick.getAscent()) : null;
            left = PAD + (yTitle.isEmpty() ? 0 : axisTitle.getHeight() + 6) + widest(tick, yAxis.labels()) + LABEL_GAP + TICK;
            right = width - PAD - (legend.isEmpty() ? 0 : legendWidth + 14)
                    - (twin ? TICK + LABEL_GAP + widest(tick, y1Axis.labels()) + (y1Title.isEmpty() ? 0 : axisTitle.getHeight() + 6) : 0);
        }
        int plotW = Math.max(50, right - left), plotH = Math.max(50, bottom - top);
        layout = new Layout(left, top, plotW, plotH, xAxis, yAxis);

        // the series, by XChart, into a transparent layer the size of the plot, on our limits
        BufferedImage layer = new BufferedImage(plotW, plotH, BufferedImage.TYPE_INT_ARGB);
        hideFurniture(st);
        st.setXAxisMin(xAxis.min()).setXAxisMax(xAxis.max());
        st.setYAxisMin(0, yAxis.min()).setYAxisMax(0, yAxis.max());
        if (twin) st.setYAxisMin(1, y1Axis.min()).setYAxisMax(1, y1Axis.max());
        Graphics2D lg = layer.createGraphics();
        chart.paint(lg, plotW, plotH);
        lg.dispose();

        // grid under the data, the layer, the frame, ticks and labels
        g.setColor(GRID);
        g.setStroke(new BasicStroke(1f));
        for (double v : xAxis.values()) g.draw(new Line2D.Double(xPixel(left, plotW, xAxis, v), top, xPixel(left, plotW, xAxis, v), top + plotH));
        for (double v : yAxis.values()) g.draw(new Line2D.Double(left, yPixel(top, plotH, yAxis, v), left + plotW, yPixel(top, plotH, yAxis, v)));
        g.drawImage(layer, left, top, null);
        g.setColor(SOFT_INK);
        g.drawRect(left, top, plotW, plotH);

        g.setFont(TICK_LABEL);
        for (int i = 0; i < xAxis.values().size(); i++) {
            double px = xPixel(left, plotW, xAxis, xAxis.values().get(i));
            g.setColor(SOFT_INK);
            g.draw(new Line2D.Double(px, top + plotH, px, top + plotH + TICK));
            g.setColor(INK);
            String label = xAxis.labels().get(i);
            g.drawString(label, (float) (px - tick.stringWidth(label) / 2.0), top + plotH + TICK + LABEL_GAP + tick.getAscent());
        }
        g.setColor(SOFT_INK);
        for (double v : xAxis.minor()) g.draw(new Line2D.Double(xPixel(left, plotW, xAxis, v), top + plotH, xPixel(left, plotW, xAxis, v), top + plotH + MINOR_TICK));
        yTicks(g, tick, yAxis, left, top, plotH, true);
        if (twin) yTicks(g, tick, y1Axis, left + plotW, top, plotH, false);

        // axis titles
        g.setFont(AXIS_TITLE);
        g.setColor(INK);
        if (!xTitle.isEmpty()) g.drawString(xTitle, left + (plotW - axisTitle.stringWidth(xTitle)) / 2f, height - PAD - axisTitle.getDescent());
        if (!yTitle.isEmpty()) vertical(g, axisTitle, yTitle, PAD + axisTitle.getAscent(), top + plotH / 2.0, -Math.PI / 2);
        if (twin && !y1Title.isEmpty()) {
            double at = left + plotW + TICK + LABEL_GAP + widest(tick, y1Axis.labels()) + 6 + axisTitle.getDescent();
            vertical(g, axisTitle, y1Title, at, top + plotH / 2.0, Math.PI / 2);
        }

        // title and settings, centred over the plot (kept inside the image)
        double centre = left + plotW / 2.0;
        int baseline = drawCentredLines(g, titleLines, TITLE, INK, centre, width, PAD);
        drawCentredLines(g, subLines, SUBTITLE, SOFT_INK, centre, width, baseline);

        if (!legend.isEmpty()) drawLegend(g, leg, legend, width - PAD - legendWidth, top, legendWidth);
        g.dispose();
        return img;
    }

    /** Everything XChart would draw around the series: the figure draws it. */
    private static void hideFurniture(XYStyler st) {
        st.setChartTitleVisible(false);
        st.setLegendVisible(false);
        st.setAxisTitlesVisible(false);
        st.setAxisTicksVisible(false);
        st.setPlotGridLinesVisible(false);
        st.setPlotBorderVisible(false);
        st.setChartPadding(0);
        st.setPlotMargin(0);
        st.setPlotContentSize(1.0);
        st.setChartBackgroundColor(CLEAR);
        st.setPlotBackgroundColor(CLEAR);
        st.setAntiAlias(true);
    }

    private double xPixel(int left, int plotW, Ticks.Axis axis, double v) {
        return left + axis.fraction(v) * plotW;
    }

    private static double yPixel(int top, int plotH, Ticks.Axis axis, double v) {
        return top + (1 - axis.fraction(v)) * plotH;
    }

    private static void yTicks(Graphics2D g, FontMetrics tick, Ticks.Axis axis, int edge, int top, int plotH, boolean onLeft) {
        int dir = onLeft ? -1 : 1;
        for (int i = 0; i < axis.values().size(); i++) {
            double py = yPixel(top, plotH, axis, axis.values().get(i));
            g.setColor(SOFT_INK);
            g.draw(new Line2D.Double(edge, py, edge + dir * TICK, py));
            g.setColor(INK);
            String label = axis.labels().get(i);
            float lx = onLeft ? edge - TICK - LABEL_GAP - tick.stringWidth(label) : edge + TICK + LABEL_GAP;
            g.drawString(label, lx, (float) (py + tick.getAscent() / 2.0 - 1));
        }
        g.setColor(SOFT_INK);
        for (double v : axis.minor()) g.draw(new Line2D.Double(edge, yPixel(top, plotH, axis, v), edge + dir * MINOR_TICK, yPixel(top, plotH, axis, v)));
    }

    private static void vertical(Graphics2D g, FontMetrics m, String text, double x, double yCentre, double angle) {
        AffineTransform saved = g.getTransform();
        g.translate(x, yCentre);
        g.rotate(angle);
        g.drawString(text, -m.stringWidth(text) / 2f, 0);
        g.setTransform(saved);
    }

    private static void drawLegend(Graphics2D g, FontMetrics m, List<XYSeries> entries, int x, int y, int w) {
        int row = m.getHeight() + 4, h = entries.size() * row + 10;
        g.setColor(Color.WHITE);
        g.fillRect(x, y, w, h);
        g.setColor(new Color(0xcccccc));
        g.drawRect(x, y, w, h);
        g.setFont(LEGEND);
        for (int i = 0; i < entries.size(); i++) {
            XYSeries s = entries.get(i);
            double cy = y + 5 + i * row + row / 2.0;
            BasicStroke base = s.getLineStyle() != null ? s.getLineStyle() : new BasicStroke(1.5f);
            float lw = s.getLineWidth() > 0 ? s.getLineWidth() : base.getLineWidth();
            boolean line = s.getXYSeriesRenderStyle() != XYSeries.XYSeriesRenderStyle.Scatter && s.getLineColor() != null
                    && s.getLineColor().getAlpha() > 0;
            if (line) {
                g.setColor(s.getLineColor());
                g.setStroke(new BasicStroke(lw, BasicStroke.CAP_BUTT, base.getLineJoin(), base.getMiterLimit(), base.getDashArray(), 0f));
                g.draw(new Line2D.Double(x + 8, cy, x + 8 + SAMPLE, cy));
            }
            Marker marker = s.getMarker();
            if (marker != null && !(marker instanceof None) && s.getMarkerColor() != null) {
                g.setColor(s.getMarkerColor());
                g.setStroke(new BasicStroke(1f));
                marker.paint(g, x + 8 + SAMPLE / 2.0, cy, 8);
            }
            g.setColor(INK);
            g.drawString(s.getName(), x + 8 + SAMPLE + 8, (float) (cy + m.getAscent() / 2.0 - 1));
        }
    }

    /** Draws lines in one font and colour, each centred on {@code centre}, below {@code baseline}; returns the last baseline. */
    private static int drawCentredLines(Graphics2D g, List<String> lines, Font font, Color color, double centre, int width, int baseline) {
        g.setColor(color);
        g.setFont(font);
        FontMetrics m = g.getFontMetrics(font);
        for (String line : lines) {
            baseline += m.getHeight();
            g.drawString(line, centred(centre, m.stringWidth(line), width), baseline - m.getDescent());
        }
        return baseline;
    }

    private static float centred(double centre, int textWidth, int imageWidth) {
        return (float) Math.max(PAD, Math.min(imageWidth - PAD - textWidth, centre - textWidth / 2.0));
    }

    private static int widest(FontMetrics m, List<String> labels) {
        int w = 0;
        for (String l : labels) w = Math.max(w, m.stringWidth(l));
        return w;
    }

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }

    /** Breaks at spaces so that each line fits {@code max} pixels. */
    static List<String> wrap(String text, FontMetrics m, int max) {
        List<String> lines = new ArrayList<>();
        if (text == null || text.isBlank()) return lines;
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("(?<= )")) {
            if (!line.isEmpty() && m.stringWidth(line + word.stripTrailing()) > max) {
                lines.add(line.toString().stripTrailing());
                line.setLength(0);
            }
            line.append(word);
        }
        if (!line.isEmpty()) lines.add(line.toString().stripTrailing());
        return lines;
    }
}
