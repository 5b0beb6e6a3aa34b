package io.memdoctor.incidents.export;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

import org.springframework.web.util.HtmlUtils;

/**
 * A line chart as inline SVG, drawn on the server, so the HTML export shows its charts with no script and no
 * network: one polyline per run of answered samples (an outage is a gap, not a line), horizontal grid lines with
 * labels, UTC times along the bottom, and vertical markers for the capture and every note. Every text is escaped.
 */
final class SvgChart {

    static final int WIDTH = 960;
    static final int HEIGHT = 260;
    private static final int LEFT = 78;
    private static final int RIGHT = 16;
    private static final int TOP = 22;
    private static final int BOTTOM = 30;

    /**
     * One line.
     *
     * @param field the sample field (camelCase metric name)
     * @param css the class that colours it
     */
    record Series(String field, String css) {
    }

    /**
     * A vertical marker.
     *
     * @param at when
     * @param label the short text above it ("capture", "1", "2")
     * @param title the full text, shown on hover
     * @param css its class
     */
    record Marker(Instant at, String label, String title, String css) {
    }

    private SvgChart() {
    }

    static String render(String label, List<Map<String, Object>> samples, Instant from, Instant to,
            List<Series> series, List<Marker> markers, boolean fromZero, DoubleFunction<String> format) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (Map<String, Object> sample : samples) {
            for (Series s : series) {
                Double v = value(sample, s.field());
                if (v != null) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        boolean empty = min == Double.MAX_VALUE;
        if (empty) {
            min = 0;
            max = 1;
        }
        if (fromZero) {
            min = Math.min(0, min);
        }
        if (max - min < 1e-9) {
            max = min + Math.max(1, Math.abs(min) * 0.1);
        }
        max += (max - min) * 0.05;
        double t0 = from.toEpochMilli();
        double t1 = Math.max(to.toEpochMilli(), t0 + 1);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double yMin = min;
        double yMax = max;
        Scale x = t -> LEFT + (t - t0) / (t1 - t0) * plotW;
        Scale y = v -> TOP + plotH - (v - yMin) / (yMax - yMin) * plotH;

        StringBuilder svg = new StringBuilder(16_384);
        svg.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\">");
        svg.append("<title>").append(esc(label)).append("</title>");
        for (int i = 0; i <= 4; i++) {
            double v = yMin + (yMax - yMin) * i / 4;
            double py = y.at(v);
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(fmt(py)).append("\" y2=\"").append(fmt(py)).append("\"/>");
            svg.append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(py + 4))
                    .append("\" text-anchor=\"end\">").append(esc(format.apply(v))).append("</text>");
        }
        Duration span = Duration.ofMillis((long) (t1 - t0));
        DateTimeFormatter ticks = DateTimeFormatter.ofPattern(span.toHours() >= 24 ? "MM-dd HH:mm"
                : span.toMinutes() >= 10 ? "HH:mm" : "HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
        for (int i = 0; i <= 5; i++) {
            double t = t0 + (t1 - t0) * i / 5;
            svg.append("<text class=\"axis\" x=\"").append(fmt(x.at(t))).append("\" y=\"").append(HEIGHT - 8)
                    .append("\" text-anchor=\"").append(i == 0 ? "start" : i == 5 ? "end" : "middle").append("\">")
                    .append(esc(ticks.format(Instant.ofEpochMilli((long) t)))).append(i == 5 ? " UTC" : "")
                    .append("</text>");
        }
        for (Series s : series) {
            List<String> run = new ArrayList<>();
            for (Map<String, Object> sample : samples) {
                Double v = "OK".equals(sample.get("status")) ? value(sample, s.field()) : null;
                Instant at = Instant.parse((String) sample.get("timestamp"));
                if (v == null) {
                    line(svg, run, s.css());
                    run = new ArrayList<>();
                    continue;
                }
                run.add(fmt(x.at(at.toEpochMilli())) + "," + fmt(y.at(v)));
            }
            line(svg, run, s.css());
        }
        for (Marker m : markers) {
            double t = m.at().toEpochMilli();
            if (t < t0 || t > t1) {
                continue;
            }
            double px = x.at(t);
            svg.append("<g class=\"marker ").append(esc(m.css())).append("\"><title>").append(esc(m.title()))
                    .append("</title><line x1=\"").append(fmt(px)).append("\" x2=\"").append(fmt(px))
                    .append("\" y1=\"").append(TOP).append("\" y2=\"").append(TOP + (int) plotH).append("\"/>")
                    .append("<text x=\"").append(fmt(px)).append("\" y=\"").append(TOP - 6)
                    .append("\" text-anchor=\"middle\">").append(esc(m.label())).append("</text></g>");
        }
        if (empty) {
            svg.append("<text class=\"axis\" x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
                    .append("\" text-anchor=\"middle\">No samples in the window</text>");
        }
        return svg.append("</svg>").toString();
    }

    private interface Scale {
        double at(double value);
    }

    private static void line(StringBuilder svg, List<String> points, String css) {
        if (points.isEmpty()) {
            return;
        }
        if (points.size() == 1) {
            String[] xy = points.get(0).split(",");
            svg.append("<circle class=\"").append(esc(css)).append("\" cx=\"").append(xy[0]).append("\" cy=\"")
                    .append(xy[1]).append("\" r=\"2.5\"/>");
            return;
        }
        svg.append("<polyline class=\"").append(esc(css)).append("\" points=\"").append(String.join(" ", points))
                .append("\"/>");
    }

    private static Double value(Map<String, Object> sample, String field) {
        return sample.get(field) instanceof Number n ? n.doubleValue() : null;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String text) {
        return HtmlUtils.htmlEscape(text == null ? "" : text, "UTF-8");
    }
}
