package kubenurse.discovery.internal;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Passes JSON text through and fails as soon as it nests deeper than {@link #MAX_DEPTH}: minimal-json parses
 * recursively, and a line of a hundred thousand "[" from the API server would otherwise end the thread with
 * a StackOverflowError (the image runs with small stacks). Real Kubernetes objects, managedFields included,
 * nest a few dozen levels at most.
 */
final class JsonDepthLimit extends FilterReader {

    static final int MAX_DEPTH = 256;

    private int depth;
    private boolean inString;
    private boolean escaped;

    JsonDepthLimit(Reader json) {
        super(json);
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            see((char) c);
        }
        return c;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int count = super.read(buffer, offset, length);
        for (int i = 0; i < count; i++) {
            see(buffer[offset + i]);
        }
        return count;
    }

    private void see(char c) throws IOException {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                inString = false;
            }
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > MAX_DEPTH) {
                throw new IOException("JSON nested deeper than " + MAX_DEPTH + " levels");
            }
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
}
