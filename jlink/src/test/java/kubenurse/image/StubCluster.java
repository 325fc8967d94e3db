package kubenurse.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kubenurse.testing.StubApiServer;
import kubenurse.testing.TestCertificates;

/**
 * A three-node cluster for a process outside the tests: a stub API server over HTTPS with a throwaway CA, and
 * a serviceaccount directory that trusts it. The AOT training run (jlink/train-aot.sh) and the cluster start-up
 * benchmark (bench/startup.sh) start the image against it as pod-a on node-a; its neighbours pod-b and pod-c
 * have the loopback addresses 127.0.0.2 and 127.0.0.3, where the image's own server answers them.
 * Usage: {@code java -cp ... kubenurse.image.StubCluster DIR}; prints {@code port=N} once it listens and stops
 * when its standard input ends (or on SIGTERM). With {@code --free-port} it prints a port the kernel gave and
 * stops: a free one for the image.
 */
final class StubCluster {

    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "kubenurse");

    private StubCluster() {
    }

    /** Starts the stub with its three nodes and pods; the serviceaccount files go to {@code dir}/sa. */
    static StubApiServer start(Path dir) throws Exception {
        TestCertificates.Pair ca = TestCertificates.certificateAuthority(dir, "cluster-ca");
        TestCertificates.Pair cert = TestCertificates.signedBy(ca, dir, "apiserver", "IP:127.0.0.1,DNS:localhost");
        Path serviceAccount = Files.createDirectories(dir.resolve("sa"));
        Files.copy(ca.cert(), serviceAccount.resolve("ca.crt"));
        Files.writeString(serviceAccount.resolve("token"), "stub-token");
        Files.writeString(serviceAccount.resolve("namespace"), "kube-system");
        StubApiServer api = StubApiServer.start(TestCertificates.serverContext(cert));
        api.requireToken("stub-token");
        List<String> nodes = List.of("node-a", "node-b", "node-c");
        for (int i = 0; i < nodes.size(); i++) {
            api.putNode(nodes.get(i), false, false);
            api.putPod("kube-system", "pod-" + (char) ('a' + i), nodes.get(i), "127.0.0." + (i + 1), "Running", LABELS,
                    false);
        }
        return api;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--free-port")) {
            System.out.println(RunningImage.freePort());
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: StubCluster DIR   (DIR receives the CA and the serviceaccount files, in DIR/sa)");
            System.exit(2);
        }
        try (StubApiServer api = start(Files.createDirectories(Path.of(args[0])))) {
            System.out.println("port=" + api.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the caller closes our standard input
            }
        }
    }
}
