package kubenurse.discovery.internal;

import java.io.IOException;
import java.io.Reader;

/**
 * Splits a watch stream into its lines (one event each), refusing a line longer than the heap can take:
 * BufferedReader.readLine would grow its buffer without limit, and the image's heap is 16 MiB.
 */
final class WatchLines {

    /**
     * Far above any event for a pod or node: the API server refuses objects over ~1.5 MiB, and a kubenurse
     * pod or a node is a few KB to a few hundred KB.
     */
    static final int MAX_CHARS = 2 * 1024 * 1024;

    /** A line was longer than {@link #MAX_CHARS}; the rest of it has been skipped. */
    static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;

        TooLong(long chars) {
            super("event line of " + chars + " chars, more than " + MAX_CHARS);
        }
    }

    private final Reader in;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;

    WatchLines(Reader in) {
        this.in = in;
    }

    /** The next line without its "\n" (and "\r"), or null at the end of the stream. */
    String next() throws IOException {
        StringBuilder line = null;
        long length = 0;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (length > MAX_CHARS) {
                        throw new TooLong(length);
                    }
                    return line == null ? null : strip(line);
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int count = position - start;
            length += count;
            if (length <= MAX_CHARS) {
                (line == null ? line = new StringBuilder() : line).append(buffer, start, count);
            } else {
                line = null; // keep reading to the end of the line, without keeping it
            }
            if (position < limit) {
                position++; // the '\n'
                if (length > MAX_CHARS) {
                    throw new TooLong(length);
                }
                return strip(line == null ? new StringBuilder() : line);
            }
        }
    }

    private static String strip(StringBuilder line) {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }
}
