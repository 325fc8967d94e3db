/**
 * The program: reads the configuration, wires discovery, checks and the server together, owns start,
 * signals and shutdown, and provides the one-line key=value log format for System.Logger.
 */
module kubenurse.app {
    requires kubenurse.config;
    requires kubenurse.checks;
    requires kubenurse.discovery;
    requires kubenurse.http;
    // sun.misc.Signal: the only way to take SIGTERM over, so that a graceful stop exits 0 rather than 143
    requires jdk.unsupported;

    provides java.lang.System.LoggerFinder with kubenurse.app.internal.KeyValueLoggerFinder;
}
