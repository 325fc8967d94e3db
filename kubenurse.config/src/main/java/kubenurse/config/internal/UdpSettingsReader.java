package kubenurse.config.internal;

import static kubenurse.config.internal.Variables.PREFIX;

import kubenurse.config.UdpSettings;

/** Reads the UDP probe's switch, port and probes per cycle. */
final class UdpSettingsReader {

    private UdpSettingsReader() {
    }

    static UdpSettings read(Variables env) {
        return new UdpSettings(
                env.bool(PREFIX + "CHECK_UDP", UdpSettings.DEFAULT_ENABLED),
                env.port(PREFIX + "UDP_PORT", UdpSettings.DEFAULT_PORT),
                env.wholeNumber(PREFIX + "UDP_PROBES", UdpSettings.DEFAULT_PROBES, 1, UdpSettings.MAX_PROBES,
                        "a whole number from 1 to " + UdpSettings.MAX_PROBES));
    }
}
