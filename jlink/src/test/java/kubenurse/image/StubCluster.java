package kubenurse.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCertificates;

/**
 * A small cluster for a process outside the tests: a stub API server over HTTPS with a throwaway CA, and a
 * serviceaccount directory that trusts it. The AOT training run (jlink/train-aot.sh) and the cluster benchmarks
 * (bench/startup.sh, bench/steady-state.sh) start the image against it as pod-a on node-a; its NEIGHBOURS
 * (default 2: pod-b on node-b, pod-c on node-c, ...) have the loopback addresses 127.0.0.2, 127.0.0.3, ...,
 * where the image's own server answers them.
 * Usage: {@code java -cp ... kubenurse.image.StubCluster DIR [NEIGHBOURS]}; prints {@code port=N} once it listens and stops
 * when its standard input ends (or on SIGTERM). With {@code --free-port} it prints a port the kernel gave and
 * stops: a free one for the image.
 */
final class StubCluster {

    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "kubenurse");

    private StubCluster() {
    }

    /** Starts the stub with pod-a and its neighbours, each on a node of its own; the serviceaccount files go to {@code dir}/sa. */
    static StubApiServer start(Path dir, int neighbours) throws Exception {
        TestCertificates.Pair ca = TestCertificates.certificateAuthority(dir, "cluster-ca");
        TestCertificates.Pair cert = TestCertificates.signedBy(ca, dir, "apiserver", "IP:127.0.0.1,DNS:localhost");
        Path serviceAccount = Files.createDirectories(dir.resolve("sa"));
        Files.copy(ca.cert(), serviceAccount.resolve("ca.crt"));
        Files.writeString(serviceAccount.resolve("token"), "stub-token");
        Files.writeString(serviceAccount.resolve("namespace"), "kube-system");
        StubApiServer api = StubApiServer.start(TestCertificates.serverContext(cert));
        api.requireToken("stub-token");
        for (int i = 0; i <= neighbours; i++) {
            String name = i < 26 ? String.valueOf((char) ('a' + i)) : String.valueOf(i);
            api.putNode("node-" + name, false, false);
            api.putPod("kube-system", "pod-" + name, "node-" + name, "127.0.0." + (i + 1), "Running", LABELS, false);
        }
        return api;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--free-port")) {
            System.out.println(RunningImage.freePort());
            return;
        }
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: StubCluster DIR [NEIGHBOURS]   (DIR receives the CA and the serviceaccount files, "
                    + "in DIR/sa; NEIGHBOURS: 2 unless given, at most 250)");
            System.exit(2);
        }
        int neighbours = args.length == 2 ? Integer.parseInt(args[1]) : 2;
        if (neighbours < 0 || neighbours > 250) {
            throw new IllegalArgumentException("NEIGHBOURS must be 0-250 (loopback addresses 127.0.0.2-251): " + neighbours);
        }
        try (StubApiServer api = start(Files.createDirectories(Path.of(args[0])), neighbours)) {
            System.out.println("port=" + api.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the caller closes our standard input
            }
        }
    }
}
