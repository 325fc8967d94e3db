package kubenurse.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kubenurse.image.fixture.RunningImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What deploy/Dockerfile relies on, proven without a Docker engine: the image needs only libraries that
 * gcr.io/distroless/cc-debian12 has, and runs there as it must: empty environment, non-root, read-only
 * working directory, nothing written to disk.
 */
class ImageContractIT {

    /**
     * Shared libraries of gcr.io/distroless/cc-debian12 (glibc, libgcc, libstdc++; see
     * GoogleContainerTools/distroless cc/README.md), plus the kernel's vDSO.
     */
    private static final Set<String> DISTROLESS_CC = Set.of(
            "linux-vdso.so.1", "ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0",
            "librt.so.1", "libresolv.so.2", "libutil.so.1", "libnss_dns.so.2", "libnss_files.so.2",
            "libgcc_s.so.1", "libstdc++.so.6", "libgomp.so.1");

    @TempDir
    Path dir;

    @Test
    void everySharedLibraryNeededIsInTheImageOrInDistrolessCc() throws Exception {
        Set<String> inImage = new TreeSet<>();
        List<Path> binaries;
        try (Stream<Path> files = Files.walk(RunningImage.IMAGE)) {
            binaries = files.filter(p -> p.toString().endsWith(".so") || p.endsWith("bin/java")).toList();
        }
        binaries.forEach(p -> inImage.add(p.getFileName().toString()));
        Map<String, Set<String>> outside = new TreeMap<>();
        for (Path binary : binaries) {
            for (String line : run("ldd", binary.toString()).lines().toList()) {
                String library = line.trim().split("\\s+")[0];
                String name = Path.of(library).getFileName().toString();
                // libjvm.so is "not found" by ldd: the launcher loads it from lib/server itself
                assertTrue(!line.contains("not found") || inImage.contains(name), binary + ": " + line);
                if (!inImage.contains(name) && !DISTROLESS_CC.contains(name)) {
                    outside.computeIfAbsent(name, n -> new TreeSet<>()).add(binary.getFileName().toString());
                }
            }
        }
        assertEquals(Map.of(), outside, "libraries that distroless/cc-debian12 lacks, and who needs them");
    }

    @Test
    void theEntrypointIsTheJvmWithTheShippedAotCache() throws Exception {
        List<String> entrypoint = RunningImage.containerEntrypoint();
        assertEquals(RunningImage.IMAGE.resolve("bin/java").toAbsolutePath().toString(), entrypoint.getFirst(),
                "no shell between the container runtime and the JVM");
        String cache = entrypoint.stream().filter(a -> a.startsWith("-XX:AOTCache=")).findFirst()
                .orElseThrow(() -> new AssertionError("no AOT cache in " + entrypoint));
        assertTrue(Files.size(Path.of(cache.substring("-XX:AOTCache=".length()))) > 1_000_000, cache);
        assertEquals(List.of("-m", "kubenurse.app"), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
    }

    @Test
    void runsAsNonRootInAReadOnlyDirectoryAndWritesNothing() throws Exception {
        boolean root = run("id", "-u").strip().equals("0");
        assumeTrue(!root || Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) not installed");
        List<String> asNobody = root ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : List.of();
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        String uid = root ? "nobody" : System.getProperty("user.name");
        Path perfData = Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + uid);
        deleteRecursively(perfData);
        Map<String, Long> imageBefore = snapshot(RunningImage.IMAGE);
        Map<String, Long> tmpBefore = snapshot(Path.of("/tmp"));
        try (RunningImage image = RunningImage.startAsContainer(Map.of("KUBENURSE_SHUTDOWN_DURATION", "0s"), asNobody,
                readOnly)) {
            assertEquals(200, image.awaitAlive(Duration.ofSeconds(20)).statusCode(), image.output());
            assertEquals(200, image.get("/metrics").statusCode());
            image.process.destroy();
            assertEquals(0, image.awaitExit(Duration.ofSeconds(15)), image.output());
            // the JVM says nothing of its own, so the AOT cache the ENTRYPOINT names was usable
            assertTrue(image.output().lines().allMatch(l -> l.startsWith("time=")), image.output());
        }
        try (Stream<Path> left = Files.list(readOnly)) {
            assertEquals(List.of(), left.toList(), "files in the working directory");
        }
        assertEquals(imageBefore, snapshot(RunningImage.IMAGE), "the image's files changed");
        assertTrue(!Files.exists(perfData), perfData + " written");
        Map<String, Long> tmpAfter = snapshot(Path.of("/tmp"));
        tmpAfter.keySet().removeAll(tmpBefore.keySet());
        tmpAfter.keySet().removeIf(p -> p.contains("kubenurse-image") || p.contains("junit") || p.contains("surefire")
                || p.contains("failsafe"));
        assertEquals(Map.of(), tmpAfter, "new files in /tmp");
    }

    private static Map<String, Long> snapshot(Path root) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root, 2)) {
            walk.filter(Files::isRegularFile).forEach(p -> files.put(p.toString(), p.toFile().lastModified()));
        } catch (IOException | java.io.UncheckedIOException unreadable) {
            // another process's private files under /tmp: not ours to read
        }
        return files;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return output;
    }
}
