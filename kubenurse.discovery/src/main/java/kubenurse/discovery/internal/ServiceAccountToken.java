package kubenurse.discovery.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * The bearer token of the serviceaccount, re-read whenever the file changes: the kubelet rotates bound
 * tokens (hourly) by replacing the file. Never logged, never part of an error message.
 */
final class ServiceAccountToken {

    private final Path file;
    private volatile Cached cached = new Cached(null, Optional.empty());

    private record Cached(FileTime modified, Optional<String> token) {
    }

    ServiceAccountToken(Path file) {
        this.file = file;
    }

    /** The token as the file holds it now; empty when there is no readable token. */
    Optional<String> current() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Cached known = cached;
            if (!modified.equals(known.modified())) {
                known = read(modified);
            }
            return known.token();
        } catch (IOException | SecurityException unreadable) {
            return Optional.empty();
        }
    }

    /** Forgets the cached token, e.g. after a 401, so that the next use reads the file again. */
    void reload() {
        cached = new Cached(null, Optional.empty());
    }

    private synchronized Cached read(FileTime modified) throws IOException {
        String token = Files.readString(file).strip();
        Cached fresh = new Cached(modified, token.isEmpty() ? Optional.empty() : Optional.of(token));
        cached = fresh;
        return fresh;
    }
}
