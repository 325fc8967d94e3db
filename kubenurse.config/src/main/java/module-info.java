/**
 * Configuration: every environment variable kubenurse reads, parsed and validated in one place into an
 * immutable {@link kubenurse.config.Config}; also the PEM and Go-duration parsers other modules need.
 */
module kubenurse.config {
    exports kubenurse.config;
}
