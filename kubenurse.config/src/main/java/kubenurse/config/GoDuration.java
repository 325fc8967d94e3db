package kubenurse.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Go's duration syntax ({@code time.ParseDuration} and {@code Duration.String}), so that values and
 * messages read the same as in the Go kubenurse: "300ms", "5s", "1m30s", "1.5h".
 */
public final class GoDuration {

    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private GoDuration() {
    }

    /**
     * Parses a Go duration: an optional sign, then one or more decimal numbers each followed by a unit
     * (ns, us, µs, ms, s, m, h); "0" alone is allowed.
     *
     * @throws IllegalArgumentException naming the value when it is not such a duration or overflows
     */
    public static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        long totalNanos = 0;
        // only a fraction or a sum beyond a long needs decimals (BigDecimal's first use costs ~15 ms of start-up)
        BigDecimal exact = null;
        int i = 0;
        while (i < s.length()) {
            int numberStart = i;
            while (i < s.length() && (isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(numberStart, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length() && !isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            long unitNanos = unitNanos(s.substring(unitStart, i), text);
            long wholeNanos = number.indexOf('.') < 0 ? wholeNanos(number, unitNanos) : -1;
            if (wholeNanos >= 0 && totalNanos <= Long.MAX_VALUE - wholeNanos) {
                totalNanos += wholeNanos;
            } else {
                BigDecimal part = new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos));
                exact = exact == null ? part : exact.add(part);
            }
        }
        if (exact == null) {
            return Duration.ofNanos(negative ? -totalNanos : totalNanos);
        }
        BigInteger nanos = exact.add(BigDecimal.valueOf(totalNanos)).toBigInteger();
        // as in Go, the most negative duration's magnitude is one more than the most positive one's
        if (nanos.compareTo(negative ? MAX_NANOS.add(BigInteger.ONE) : MAX_NANOS) > 0) {
            throw outOfRange(text);
        }
        return Duration.ofNanos((negative ? nanos.negate() : nanos).longValueExact());
    }

    /** Go accepts ASCII digits only. */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code digits} times {@code unitNanos}; -1 when that exceeds a long. */
    private static long wholeNanos(String digits, long unitNanos) {
        if (digits.length() > 18) {
            return -1;
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), unitNanos);
        } catch (ArithmeticException tooLong) {
            return -1;
        }
    }

    private static IllegalArgumentException outOfRange(String text) {
        return new IllegalArgumentException("duration out of range: " + text);
    }

    private static long unitNanos(String unit, String text) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "\u00b5s", "\u03bcs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "" -> throw new IllegalArgumentException("missing unit in duration: " + text);
            default -> throw new IllegalArgumentException("unknown unit \"" + unit + "\" in duration: " + text);
        };
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration: " + text);
    }

    /** Formats as Go's {@code Duration.String()} does: "6s", "1m30s", "300ms", "2h0m0s", "1.5µs". */
    public static String format(Duration duration) {
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.toString();
        }
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        // unsigned from here on: the magnitude of Long.MIN_VALUE is one more than Long.MAX_VALUE
        long a = Math.abs(nanos);
        if (Long.compareUnsigned(a, 1_000L) < 0) {
            return sign + a + "ns";
        }
        if (Long.compareUnsigned(a, 1_000_000L) < 0) {
            return sign + decimal(a, 1_000L) + "\u00b5s";
        }
        if (Long.compareUnsigned(a, 1_000_000_000L) < 0) {
            return sign + decimal(a, 1_000_000L) + "ms";
        }
        long hours = Long.divideUnsigned(a, 3_600_000_000_000L);
        long minutes = Long.divideUnsigned(a, 60_000_000_000L) % 60;
        long secondsNanos = Long.remainderUnsigned(a, 60_000_000_000L);
        StringBuilder out = new StringBuilder(sign);
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(decimal(secondsNanos, 1_000_000_000L)).append('s').toString();
    }

    /** {@code value / unit} in decimals, without trailing zeros; {@code value} unsigned, below 60 s in nanoseconds. */
    private static String decimal(long value, long unit) {
        StringBuilder out = new StringBuilder().append(Long.divideUnsigned(value, unit));
        long rest = Long.remainderUnsigned(value, unit);
        if (rest != 0) {
            out.append('.');
            for (long digit = unit / 10; rest != 0; digit /= 10) {
                out.append(rest / digit);
                rest %= digit;
            }
        }
        return out.toString();
    }
}
