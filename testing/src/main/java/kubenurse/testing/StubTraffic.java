package kubenurse.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Every request the stub API server received, in order, with what was sent in answer to each. */
final class StubTraffic {

    private final List<StubApiServer.Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Traffic> traffic = Collections.synchronizedList(new ArrayList<>());

    /** Records {@code request}; returns its counters, which the answer then adds to. */
    Traffic received(StubApiServer.Request request) {
        Traffic sent = new Traffic(request);
        synchronized (this) {
            requests.add(request);
            traffic.add(sent);
        }
        return sent;
    }

    List<StubApiServer.Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    List<Traffic> traffic() {
        synchronized (traffic) {
            return List.copyOf(traffic);
        }
    }
}
