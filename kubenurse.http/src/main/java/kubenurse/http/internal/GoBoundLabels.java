package kubenurse.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Rewrites the values of {@code le} and {@code quantile} labels in Prometheus text (version 0.0.4) as Go's
 * client_golang writes them: client_java writes Java's {@code Double.toString} ({@code le="1.0"},
 * {@code le="5.0E-4"}), Go the shortest %g ({@code le="1"}, {@code le="0.0005"}). Prometheus 2.x and
 * VictoriaMetrics store label values as they come, so the two are different series, and a rule or alert naming a
 * bucket of upstream finds nothing here. client_java's writer has no option for this (1.5.1), hence this filter.
 *
 * <p>It follows the line syntax, so a label value or a # HELP text that merely contains {@code le="1.0"} is left
 * alone. Everything else passes through byte for byte; the syntax characters are ASCII, so UTF-8 text is safe.
 */
final class GoBoundLabels extends FilterOutputStream {

    private enum State { LINE_START, COMMENT, NAME, REST, LABEL_NAME, QUOTED_NAME, QUOTED_NAME_ESCAPE, EQUALS, VALUE,
        VALUE_ESCAPE, BOUND }

    private State state = State.LINE_START;
    private final StringBuilder labelName = new StringBuilder();
    private final StringBuilder bound = new StringBuilder();
    /** What one write produces, passed on in one call: GZIPOutputStream is slow byte by byte. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(8192);

    GoBoundLabels(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            step(bytes[i]);
        }
        pending.writeTo(out);
        pending.reset();
    }

    /** Passes on a bound cut off by the end of the text unchanged; does not close the stream below. */
    void finish() throws IOException {
        if (state == State.BOUND) {
            pending.writeBytes(bound.toString().getBytes(StandardCharsets.US_ASCII));
            bound.setLength(0);
            state = State.REST;
        }
        pending.writeTo(out);
        pending.reset();
        out.flush();
    }

    private void step(byte b) {
        if (state == State.BOUND) {
            if (b == '"') {
                pending.writeBytes(goFloat(bound.toString()).getBytes(StandardCharsets.US_ASCII));
                bound.setLength(0);
                pending.write(b);
                state = State.LABEL_NAME;
                labelName.setLength(0);
            } else if (b == '\n' || bound.length() > 64) { // not a number: give it back as it was
                pending.writeBytes(bound.toString().getBytes(StandardCharsets.US_ASCII));
                bound.setLength(0);
                pending.write(b);
                state = b == '\n' ? State.LINE_START : State.VALUE;
            } else {
                bound.append((char) (b & 0xff));
            }
            return;
        }
        pending.write(b);
        if (b == '\n') {
            state = State.LINE_START;
            return;
        }
        state = next(b);
    }

    private State next(byte b) {
        return switch (state) {
            case LINE_START -> b == '#' ? State.COMMENT : b == '{' ? startLabels() : State.NAME;
            case COMMENT, REST -> state;
            case NAME -> b == '{' ? startLabels() : b == ' ' ? State.REST : State.NAME;
            case LABEL_NAME -> switch (b) {
                case '=' -> State.EQUALS;
                case '"' -> State.QUOTED_NAME;
                case '}' -> State.REST;
                case ',' -> startLabels();
                default -> {
                    if (b != ' ') {
                        labelName.append((char) (b & 0xff));
                    }
                    yield State.LABEL_NAME;
                }
            };
            case QUOTED_NAME -> b == '\\' ? State.QUOTED_NAME_ESCAPE : b == '"' ? quotedNameEnded() : State.QUOTED_NAME;
            case QUOTED_NAME_ESCAPE -> State.QUOTED_NAME;
            case EQUALS -> b == '"' ? (isBound(labelName) ? State.BOUND : State.VALUE) : State.EQUALS;
            case VALUE -> b == '\\' ? State.VALUE_ESCAPE : b == '"' ? startLabels() : State.VALUE;
            case VALUE_ESCAPE -> State.VALUE;
            case BOUND -> throw new IllegalStateException("handled in step");
        };
    }

    private State startLabels() {
        labelName.setLength(0);
        return State.LABEL_NAME;
    }

    /** A quoted metric or label name (UTF-8 names) is never le or quantile as client_java writes those. */
    private State quotedNameEnded() {
        labelName.setLength(0);
        labelName.append('"');
        return State.LABEL_NAME;
    }

    private static boolean isBound(CharSequence name) {
        return "le".contentEquals(name) || "quantile".contentEquals(name);
    }

    /**
     * The number as Go's strconv.FormatFloat(v, 'g', -1, 64), which client_golang uses for le and quantile: the
     * shortest digits that read back as the same double, in exponent form (e-05, e+06) when the decimal exponent is
     * below -4 or at least 6; 1, 0 and the infinities as 1, 0, +Inf and -Inf. Text that is not a number is kept.
     */
    static String goFloat(String javaText) {
        try {
            return goFloat(Double.parseDouble(javaText));
        } catch (NumberFormatException notANumber) {
            return javaText;
        }
    }

    /** Go's strconv.FormatFloat(value, 'g', -1, 64), as above; VictoriaMetricsText writes its sums with it too. */
    static String goFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return "0"; // Go's writer tests f == 0, which holds for -0 too
        }
        BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - shortest.scale() - 1;
        String sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int magnitude = Math.abs(exponent);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + magnitude;
        }
        return sign + shortest.abs().toPlainString();
    }
}
