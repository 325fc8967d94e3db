package kubenurse.k3s;

import com.github.dockerjava.api.command.BuildImageCmd;
import java.nio.file.Path;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * deploy/Dockerfile built with the repository as its context, as {@code docker build -f deploy/Dockerfile .} does,
 * the repository's .dockerignore honoured: without it .git and every module's target/ would be sent too.
 * {@link #withDockerfile} has docker-java make the context itself, a tar of its base directory less what
 * .dockerignore excludes (the deprecated withDockerfilePath sent whatever withFileFromPath named: everything).
 */
final class RepositoryImage extends ImageFromDockerfile {

    private final Path root;

    RepositoryImage(String name, Path root) {
        super(name, false);
        this.root = root;
        withDockerfile(root.resolve("deploy/Dockerfile"));
    }

    @Override
    protected void configure(BuildImageCmd build) {
        // before docker-java is given the Dockerfile: its base directory is the Dockerfile's own (deploy/) unless set
        // first, and the tar is made then. No withFileFromPath: that tar replaces the stream Testcontainers would
        // write those files to (which nothing then reads).
        build.withBaseDirectory(root.toFile());
        super.configure(build);
    }
}
