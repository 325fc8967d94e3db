package kubenurse.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code promtool check metrics} where it is installed (Debian package prometheus), so that a test can tell a parse
 * error (exit 1) from lint remarks (exit 3) and allow the remarks upstream's output also draws. promtool is looked
 * up on PATH. Where it is missing, tests skip saying so, except under {@code CI=true}: CI installs it
 * ({@code .ci/run}), so there a missing promtool fails the test instead of skipping what it guards.
 */
public final class Promtool {

    private Promtool() {
    }

    /** The promtool on PATH, or empty. */
    public static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(java.io.File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst();
    }

    /**
     * True where promtool is on PATH; false elsewhere (the caller skips and says so).
     *
     * @throws AssertionError under CI=true when promtool is missing
     */
    public static boolean installed() {
        boolean found = find().isPresent();
        if (!found && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("promtool is not on PATH (" + System.getenv("PATH") + ") and CI=true: .ci/run "
                    + "installs it (Debian package prometheus); a check it guards must not be skipped in CI");
        }
        return found;
    }

    /** Runs the check on {@code exposition}; waits at most 30 seconds. */
    public static Verdict checkMetrics(String exposition) throws IOException, InterruptedException {
        Path promtool = find().orElseThrow(() -> new IllegalStateException("promtool is not on PATH"));
        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
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
