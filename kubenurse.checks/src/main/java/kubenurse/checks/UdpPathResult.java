package kubenurse.checks;

import java.util.OptionalDouble;

/**
 * One neighbour's last completed UDP probe cycle, as /alive shows it.
 *
 * @param sent          probes sent in the cycle
 * @param lost          probes without a reply in time (1 s, or by the end of the cycle)
 * @param rttP50Seconds the median round-trip time of the answered probes; empty when none was answered
 * @param jitterSeconds the mean absolute difference of consecutive round-trip times; empty with fewer than two
 * @param answered      whether the neighbour has answered any probe since it was chosen: if not, a firewall that
 *                      drops UDP is more likely than packet loss
 */
public record UdpPathResult(int sent, int lost, OptionalDouble rttP50Seconds, OptionalDouble jitterSeconds,
        boolean answered) {

    public static final String ANSWERING = "answering";
    public static final String UNANSWERED = "udp_unanswered";

    /** {@value #ANSWERING}, or {@value #UNANSWERED} when it has never answered since it was chosen. */
    public String state() {
        return answered ? ANSWERING : UNANSWERED;
    }
}
