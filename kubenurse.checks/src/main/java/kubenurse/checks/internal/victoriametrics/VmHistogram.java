package kubenurse.checks.internal.victoriametrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.function.ObjLongConsumer;

/**
 * One series of a VictoriaMetrics histogram, the format upstream exports when KUBENURSE_VICTORIAMETRICS_HISTOGRAM
 * is true (docs/compatibility.md). The format is that of the VictoriaMetrics/metrics Go library (histogram.go):
 * fixed log-scale buckets, 18 per decade from 1e-9 to 1e18, each bucket's end 10^(1/18) times its start, plus
 * one bucket below ("0...1.000e-09") and one above ("1.000e+18...+Inf"). A bucket excludes its start and includes
 * its end, as Prometheus's le does. Only buckets that counted something are exported, each with its own count
 * (not cumulative), labelled {@code vmrange="<start>...<end>"} with both bounds printed as %.3e.
 * Negative and NaN observations are ignored, as the library does.
 */
final class VmHistogram {

    private static final int LOWEST_DECADE = -9;
    private static final int HIGHEST_DECADE = 18;
    private static final int PER_DECADE = 18;
    static final int BUCKETS = (HIGHEST_DECADE - LOWEST_DECADE) * PER_DECADE;
    static final String BELOW = "0..." + e3(pow10(LOWEST_DECADE));
    static final String ABOVE = e3(pow10(HIGHEST_DECADE)) + "...+Inf";
    /** The vmrange of every regular bucket, by index; immutable once built. */
    private static final String[] RANGES = ranges();

    /** Guarded by this. */
    private final long[] counts = new long[BUCKETS];
    private long below;
    private long above;
    private double sum;

    synchronized void observe(double value) {
        if (Double.isNaN(value) || value < 0) {
            return;
        }
        double position = (Math.log10(value) - LOWEST_DECADE) * PER_DECADE;
        sum += value;
        if (position < 0) {
            below++;
        } else if (position >= BUCKETS) {
            above++;
        } else {
            int index = (int) position;
            if (position == index && index > 0) {
                index--; // a value on a bucket's end belongs to that bucket (le semantics)
            }
            counts[index]++;
        }
    }

    /** Calls {@code bucket} for each non-empty bucket, lowest first, with its vmrange and count; returns the sum. */
    synchronized double visit(ObjLongConsumer<String> bucket) {
        if (below > 0) {
            bucket.accept(BELOW, below);
        }
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] > 0) {
                bucket.accept(RANGES[i], counts[i]);
            }
        }
        if (above > 0) {
            bucket.accept(ABOVE, above);
        }
        return sum;
    }

    static String range(int index) {
        return RANGES[index];
    }

    /**
     * The bounds are computed as the library does, by repeated multiplication from 1e-9, so that rounding to four
     * digits lands on the same strings.
     */
    private static String[] ranges() {
        double multiplier = Math.pow(10, 1.0 / PER_DECADE);
        String[] ranges = new String[BUCKETS];
        double bound = pow10(LOWEST_DECADE);
        String start = e3(bound);
        for (int i = 0; i < BUCKETS; i++) {
            bound *= multiplier;
            String end = e3(bound);
            ranges[i] = start + "..." + end;
            start = end;
        }
        return ranges;
    }

    /** The double nearest 10^exponent (Math.pow may be an ulp off; parsing is exact to the nearest). */
    private static double pow10(int exponent) {
        return Double.parseDouble("1e" + exponent);
    }

    /**
     * Go's %.3e: four significant digits of the exact binary value, rounded half to even, and an exponent of at
     * least two digits. (Java's %.3e rounds the shortest decimal instead, which can differ in the last digit.)
     */
    static String e3(double value) {
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(4, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        String digits = rounded.unscaledValue().toString();
        digits = (digits + "000").substring(0, 4);
        return String.format(Locale.ROOT, "%s.%se%s%02d", digits.charAt(0), digits.substring(1),
                exponent < 0 ? "-" : "+", Math.abs(exponent));
    }
}
