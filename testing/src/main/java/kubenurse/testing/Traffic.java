package kubenurse.testing;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the stub API server sent in answer to one request (a list page or a watch): body bytes and, for a
 * watch, event lines (bookmarks included). Live: a watch's counters grow while it streams, so a benchmark
 * can take differences over a window. HTTP headers, chunk framing and TLS records are not counted.
 *
 * @param request the request's path and query as received, with its Authorization header
 */
public record Traffic(StubApiServer.Request request, AtomicLong bytes, AtomicLong events) {

    Traffic(StubApiServer.Request request) {
        this(request, new AtomicLong(), new AtomicLong());
    }

    void add(long byteCount, long eventCount) {
        bytes.addAndGet(byteCount);
        events.addAndGet(eventCount);
    }

    /** True for a watch request (watch=true or watch=1). */
    public boolean watch() {
        return request.pathAndQuery().contains("watch=true") || request.pathAndQuery().contains("watch=1");
    }
}
