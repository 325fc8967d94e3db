package kubenurse.config;

/** KUBENURSE_LOG_LEVEL: the lowest level written. */
public enum LogLevel {
    ERROR, WARN, INFO, DEBUG
}
