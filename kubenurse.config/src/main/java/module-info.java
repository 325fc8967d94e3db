/**
 * Configuration: every environment variable kubenurse reads, parsed and validated in one place into an
 * immutable {@link kubenurse.config.Config}; also what other modules share beneath it: the PEM and Go-duration
 * parsers, and the TLS client context of the checks' clients and of discovery's (one key share, handshakes observed).
 */
module kubenurse.config {
    exports kubenurse.config;
}
