package kubenurse.k3s;

import com.github.dockerjava.api.command.InspectImageResponse;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The platform an image was built for, as the Docker engine reports it, and the {@code ctr images import} of that
 * platform alone into a k3s node's containerd.
 */
record ImagePlatform(String os, String architecture) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");

    ImagePlatform {
        if (os == null || !NAME.matcher(os).matches()) {
            throw new IllegalArgumentException("image OS: '" + os + "', expected a GOOS name such as linux");
        }
        if (architecture == null || !NAME.matcher(architecture).matches()) {
            throw new IllegalArgumentException("image architecture: '" + architecture
                    + "', expected a GOARCH name such as amd64 or arm64");
        }
    }

    static ImagePlatform of(InspectImageResponse image) {
        return new ImagePlatform(image.getOs(), image.getArch());
    }

    /**
     * {@code ctr images import} of this platform only. An engine with the containerd image store saves the image's
     * whole index, which may name manifests whose blobs the tar lacks: other platforms' (and on amd64 the default,
     * loose matcher accepts linux/386 too) and BuildKit's attestation manifests (platform unknown/unknown). ctr then
     * fails with "content digest ...: not found" (containerd#11344, kind#3795); with one platform, matched
     * strictly, it reads only that platform's manifest. {@code --all-platforms} stays off (its default).
     */
    List<String> ctrImport(String tarInNode) {
        return List.of("ctr", "-n", "k8s.io", "images", "import", "--platform", toString(), tarInNode);
    }

    @Override
    public String toString() {
        return os + "/" + architecture;
    }
}
