/**
 * The HTTP(S) server on the JDK's jdk.httpserver: /alive, /alwayshappy, /ready, /metrics. It renders the
 * snapshots it is given and asks the checks for a fresh cycle; it makes no network calls of its own.
 */
module kubenurse.http {
    requires transitive kubenurse.config;
    requires transitive kubenurse.checks;
    requires transitive io.prometheus.metrics.core;
    requires transitive io.prometheus.metrics.model;
    requires jdk.httpserver;
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.config;
    // the protobuf writer, which client_java's ExpositionFormats loads by name when a scraper asks for it
    requires io.prometheus.metrics.expositionformats;
    requires minimal.json;

    exports kubenurse.http;
}
