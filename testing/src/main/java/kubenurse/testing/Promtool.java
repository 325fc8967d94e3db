package kubenurse.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * {@code promtool check metrics} where it is installed (Debian package prometheus), so that a test can tell a parse
 * error (exit 1) from lint remarks (exit 3) and allow the remarks upstream's output also draws.
 */
public final class Promtool {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private Promtool() {
    }

    public static boolean installed() {
        return Files.isExecutable(PROMTOOL);
    }

    /** Runs the check on {@code exposition}; waits at most 30 seconds. */
    public static Verdict checkMetrics(String exposition) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        process.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool check metrics did not finish within 30 s; printed: " + output);
        }
        return new Verdict(process.exitValue(), output);
    }

    /** promtool's exit status (0 clean, 1 not parsable, 3 lint remarks) and what it printed. */
    public record Verdict(int exitCode, String output) {

        /**
         * Parsed, and the only remarks are "no help text" for the _bucket, _sum and _count series of the given
         * families: VictoriaMetrics histograms, which upstream writes without # HELP unless asked to.
         */
        public boolean cleanBut(Collection<String> helplessFamilies) {
            if (exitCode == 0) {
                return true;
            }
            return exitCode == 3 && output.lines().filter(line -> !line.isBlank()).allMatch(line ->
                    helplessFamilies.stream().anyMatch(family -> line.equals(family + "_bucket no help text")
                            || line.equals(family + "_sum no help text") || line.equals(family + "_count no help text")));
        }
    }
}
